import type { PullRequestFile } from "../github/forge.js";

/** A pull request a job works on: its own files are what a comment on it is about. */
export interface PullRequestChange {
  number: number;
  baseRef: string;
  files: PullRequestFile[];
}

/** The paths the pull request leaves in its head: what context selection ranks first (removed files are gone). */
export function focusPaths(change: Pick<PullRequestChange, "files">): string[] {
  return change.files.filter((file) => file.status !== "removed").map((file) => file.path);
}

/** How much of a branch's diff the first message shows; the model reads the rest with its view tool. */
export const BRANCH_DIFF_CHARS = 20_000;

/** Files named without their diff, at most: a pull request may change thousands. */
const MAX_LISTED = 200;

function fileHeader(file: PullRequestFile): string {
  const before = file.previousPath ?? file.path;
  const lines = [`diff --git a/${before} b/${file.path}`];
  if (file.status === "added") lines.push("new file");
  if (file.status === "removed") lines.push("deleted file");
  if (file.previousPath) lines.push(`${file.status === "copied" ? "copy" : "rename"} from ${file.previousPath}`, `${file.status === "copied" ? "copy" : "rename"} to ${file.path}`);
  lines.push(`--- ${file.status === "added" ? "/dev/null" : `a/${before}`}`, `+++ ${file.status === "removed" ? "/dev/null" : `b/${file.path}`}`);
  return lines.join("\n");
}

/**
 * The pull request's change as a unified diff, from the hunks GitHub lists (against the merge base, so commits
 * the base branch gained since are not shown as reverted). Whole files while they fit in `maxChars`; the rest,
 * and files GitHub shows no hunks for (binary, very large), are named with their line counts. Protected files
 * are named only: the model may not read them, here or with its tools.
 */
export function renderPullRequestDiff(change: Pick<PullRequestChange, "files">, maxChars: number, isProtected: (path: string) => boolean = () => false): string {
  const sections: string[] = [];
  const unshown: PullRequestFile[] = [];
  const hidden = (file: PullRequestFile) => isProtected(file.path) || (file.previousPath !== undefined && isProtected(file.previousPath));
  let used = 0;
  for (const file of change.files) {
    if (file.patch === undefined || hidden(file)) {
      unshown.push(file);
      continue;
    }
    const section = `${fileHeader(file)}\n${file.patch}`;
    if (used + section.length + 1 > maxChars) {
      unshown.push(file);
      continue;
    }
    sections.push(section);
    used += section.length + 1;
  }
  if (unshown.length > 0) {
    const why = (file: PullRequestFile) => (hidden(file) ? ", protected: not shown" : file.patch === undefined ? ", no text diff" : "");
    const list = unshown.slice(0, MAX_LISTED).map((file) => `- ${file.path} (${file.status}, +${file.additions} −${file.deletions}${why(file)})`);
    if (unshown.length > MAX_LISTED) list.push(`- and ${unshown.length - MAX_LISTED} more files`);
    const readable = unshown.some(hidden) ? "read the others with the view tool; protected files stay closed" : "read these files with the view tool";
    sections.push(`Also changed, diff not shown (${readable}):\n${list.join("\n")}`);
  }
  return sections.join("\n");
}
