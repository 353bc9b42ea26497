import parseDiff from "parse-diff";
import { ConfigurationError } from "../errors/index.js";
import type { PullRequestFile } from "../github/forge.js";
import { runGit } from "./safe-git.js";

async function gitText(args: string[], cwd: string, maxBytes?: number): Promise<string> {
  return (await runGit(args, { cwd, maxBytes })).toString("utf8");
}

function nulList(text: string): string[] {
  return text.split("\0").filter(Boolean);
}

/** Where HEAD left `base`: the commit a pull request of this branch would be compared with. */
async function mergeBaseWith(repoDir: string, base: string): Promise<string> {
  // A ref starting with "-" would be read as an option by git.
  if (!base || base.startsWith("-")) throw new ConfigurationError(`--base ${JSON.stringify(base)} is not a ref: give a branch, tag or commit, e.g. main`);
  let baseCommit: string;
  try {
    baseCommit = (await gitText(["rev-parse", "--verify", "--quiet", `${base}^{commit}`], repoDir)).trim();
  } catch {
    throw new ConfigurationError(`--base ${base} is not a commit of the repository: give a branch, tag or commit it has (git branch -a lists them)`);
  }
  try {
    return (await gitText(["merge-base", "HEAD", baseCommit], repoDir)).trim();
  } catch {
    throw new ConfigurationError(`--base ${base} shares no history with HEAD: give the branch this one was started from`);
  }
}

/**
 * The tracked files a local branch changes since it left `base`: committed since the merge base, or edited (or
 * added with `git add`) and not yet committed. Deleted files are left out (nothing to read), and so are untracked
 * ones, which the index does not read either. This is what a pull request of the branch would show, plus the work
 * not yet committed.
 */
export async function branchChanges(repoDir: string, base: string): Promise<string[]> {
  const mergeBase = await mergeBaseWith(repoDir, base);
  return nulList(await gitText(["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--diff-filter=d", mergeBase, "--"], repoDir));
}

/** A branch's diff larger than this is listed by name only: the prompt shows at most a few thousand characters of it. */
const MAX_DIFF_BYTES = 8 * 1024 * 1024;

const STATUS: Record<string, string> = { A: "added", D: "removed", M: "modified", T: "changed" };

/**
 * The commits of HEAD since it left `base`, file by file in the shape GitHub lists a pull request's files (hunks
 * only, from the merge base, renames as a removal and an addition): what `codegen run --base` shows the model. The
 * work tree is not read: a local run builds on the commits alone.
 */
export async function committedBranchFiles(repoDir: string, base: string): Promise<PullRequestFile[]> {
  const mergeBase = await mergeBaseWith(repoDir, base);
  const common = ["--no-renames", "--no-ext-diff", "--no-color", mergeBase, "HEAD", "--"];
  const statuses = nulList(await gitText(["diff", "--name-status", "-z", ...common], repoDir));
  const files: PullRequestFile[] = [];
  for (let i = 0; i + 1 < statuses.length; i += 2) files.push({ path: statuses[i + 1]!, status: STATUS[statuses[i]!] ?? "modified", additions: 0, deletions: 0 });
  const patch = await gitText(["diff", "--unified=3", ...common], repoDir, MAX_DIFF_BYTES).catch(() => undefined);
  if (patch === undefined) return files;
  const byPath = new Map(files.map((file) => [file.path, file]));
  for (const parsed of parseDiff(patch)) {
    const file = byPath.get(parsed.to && parsed.to !== "/dev/null" ? parsed.to : (parsed.from ?? ""));
    if (!file) continue;
    file.additions = parsed.additions;
    file.deletions = parsed.deletions;
    // Binary files have no hunks: left without a patch, as GitHub leaves them.
    if (parsed.chunks.length > 0) file.patch = parsed.chunks.map((chunk) => [chunk.content, ...chunk.changes.map((change) => change.content)].join("\n")).join("\n");
  }
  return files;
}
