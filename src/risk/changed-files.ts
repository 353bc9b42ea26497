import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import parseDiff from "parse-diff";
import { ConfigurationError } from "../errors/index.js";
import { runGit } from "../git/safe-git.js";
import type { ChangedFile } from "./types.js";

export interface ReadChangesOptions {
  /** Base revision (default HEAD). */
  base?: string;
  /** Head revision; when absent the working tree (tracked changes plus untracked files) is the new side. */
  head?: string;
  /** Files larger than this carry no content (default 1 MiB). */
  maxFileBytes?: number;
}

export interface ChangeSet {
  baseSha: string;
  /** null when the new side is the working tree. */
  headSha: string | null;
  files: ChangedFile[];
  /** Every path at the new side, for rules that look at neighbours (e.g. Chart.yaml). */
  repoPaths: string[];
}

/** Revisions come from users: refuse option-like or odd strings before git sees them. */
const REVISION = /^(?!-)[\w.\/@{}^~:+-]{1,200}$/;
/** git's empty tree: the base of a root commit. */
export const EMPTY_TREE_SHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

const DIFF_FLAGS = ["--no-color", "--no-ext-diff", "--no-textconv", "-M"];

export async function resolveCommit(repoDir: string, revision: string): Promise<string> {
  if (!REVISION.test(revision)) throw new ConfigurationError(`"${revision}" is not a git revision: use a commit, branch or tag name.`);
  if (revision === EMPTY_TREE_SHA) return revision;
  try {
    const out = await runGit(["rev-parse", "--verify", "--quiet", "--end-of-options", `${revision}^{commit}`], { cwd: repoDir });
    return out.toString("utf8").trim();
  } catch {
    throw new ConfigurationError(`git cannot resolve "${revision}" to a commit in ${repoDir}: check the revision and that this is a git repository.`);
  }
}

const splitZ = (buffer: Buffer) => buffer.toString("utf8").split("\0").filter((s) => s !== "");

interface NameStatus {
  status: ChangedFile["status"];
  path: string;
  previousPath?: string;
}

function parseNameStatus(fields: string[]): NameStatus[] {
  const entries: NameStatus[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++];
    if (code.startsWith("R") || code.startsWith("C")) {
      const previousPath = fields[i++];
      const path = fields[i++];
      entries.push(code.startsWith("R") ? { status: "renamed", path, previousPath } : { status: "added", path });
    } else {
      const path = fields[i++];
      const status = code === "A" ? "added" : code === "D" ? "deleted" : "modified";
      entries.push({ status, path });
    }
  }
  return entries;
}

/** Split a multi-file `git diff` into one patch per new path (old path for deletions). */
function patchesByPath(diff: string): Map<string, string> {
  const patches = new Map<string, string>();
  const segments = diff.split(/^(?=diff --git )/m).filter((s) => s.startsWith("diff --git "));
  for (const segment of segments) {
    const [parsed] = parseDiff(segment);
    if (!parsed) continue;
    const path = parsed.to && parsed.to !== "/dev/null" ? parsed.to : parsed.from;
    if (path) patches.set(path, segment);
  }
  return patches;
}

const isBinary = (buffer: Buffer) => buffer.subarray(0, 8000).includes(0);

/** Blobs at `rev` for many paths in one `git cat-file --batch` call (no filters, no textconv). */
async function readBlobs(repoDir: string, rev: string, paths: string[], maxBytes: number): Promise<Map<string, string>> {
  const contents = new Map<string, string>();
  const requestable = paths.filter((p) => !p.includes("\n"));
  if (!requestable.length) return contents;
  const out = await runGit(["cat-file", "--batch"], { cwd: repoDir, input: requestable.map((p) => `${rev}:${p}\n`).join("") });
  let offset = 0;
  for (const path of requestable) {
    const newline = out.indexOf(10, offset);
    if (newline === -1) break;
    const header = out.subarray(offset, newline).toString("utf8");
    offset = newline + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) continue; // "<object> missing"
    const size = Number(m[2]);
    const body = out.subarray(offset, offset + size);
    offset += size + 1;
    if (m[1] === "blob" && size <= maxBytes && !isBinary(body)) contents.set(path, body.toString("utf8"));
  }
  return contents;
}

/** A working-tree file's text; nothing for symlinks (never followed), large or binary files. */
async function readWorkingFile(repoDir: string, path: string, maxBytes: number): Promise<string | undefined> {
  try {
    const info = await lstat(join(repoDir, path));
    if (!info.isFile() || info.size > maxBytes) return undefined;
    const body = await readFile(join(repoDir, path));
    return isBinary(body) ? undefined : body.toString("utf8");
  } catch {
    return undefined;
  }
}

/**
 * Read the change between two revisions (or HEAD and the working tree) as ChangedFile[]: status, paths,
 * new content and a unified patch per file. Uses the hardened git runner only; diff drivers, textconv and
 * external diff programs are disabled on every call.
 */
export async function readChangedFiles(repoDir: string, options: ReadChangesOptions = {}): Promise<ChangeSet> {
  const maxBytes = options.maxFileBytes ?? 1024 * 1024;
  const baseSha = await resolveCommit(repoDir, options.base ?? "HEAD");
  const headSha = options.head ? await resolveCommit(repoDir, options.head) : null;
  const range = headSha ? [baseSha, headSha] : [baseSha];

  const nameStatus = parseNameStatus(splitZ(await runGit(["diff", ...DIFF_FLAGS, "-z", "--name-status", ...range, "--"], { cwd: repoDir })));
  const diff = (await runGit(["diff", ...DIFF_FLAGS, "-U3", ...range, "--"], { cwd: repoDir })).toString("utf8");
  const patches = patchesByPath(diff);

  let repoPaths: string[];
  if (headSha) {
    repoPaths = splitZ(await runGit(["ls-tree", "-r", "-z", "--name-only", headSha], { cwd: repoDir }));
  } else {
    const untracked = splitZ(await runGit(["ls-files", "-z", "--others", "--exclude-standard"], { cwd: repoDir }));
    for (const path of untracked) nameStatus.push({ status: "added", path });
    repoPaths = [...splitZ(await runGit(["ls-files", "-z"], { cwd: repoDir })), ...untracked];
  }

  const present = nameStatus.filter((e) => e.status !== "deleted").map((e) => e.path);
  const contents = headSha ? await readBlobs(repoDir, headSha, present, maxBytes) : new Map<string, string>();
  if (!headSha) {
    for (const path of present) {
      const text = await readWorkingFile(repoDir, path, maxBytes);
      if (text !== undefined) contents.set(path, text);
    }
  }

  const files = nameStatus.map((e): ChangedFile => {
    const file: ChangedFile = { path: e.path, status: e.status };
    if (e.previousPath) file.previousPath = e.previousPath;
    const content = contents.get(e.path);
    if (content !== undefined) file.content = content;
    const patch = patches.get(e.path);
    if (patch !== undefined) file.patch = patch;
    return file;
  });
  return { baseSha, headSha, files, repoPaths };
}
