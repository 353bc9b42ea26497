import { mkdir, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { GitHubApiError, WorkspaceError } from "../errors/index.js";
import { parseRawDiff, type ChangedPath } from "./changed-paths.js";
import { pushError } from "./push-error.js";
import { runGit, safeGit } from "./safe-git.js";

export type { ChangedPath } from "./changed-paths.js";

/**
 * The host clone the model edits. Every git call is hardened (no hooks, no fsmonitor, no system/global
 * config, symlinks checked out as plain files): text commands through simple-git (`safeGit`), byte
 * output through `runGit`. The token only ever travels in the child's environment.
 */

const text = async (args: string[], cwd: string): Promise<string> => (await safeGit(cwd).raw(args)).trim();

/** Reject branch names git would misread (leading dash, bad ref syntax) before they reach a command line. */
export async function assertBranchName(name: string): Promise<void> {
  // "@{-1}" would name a previously checked-out branch; git would expand it rather than refuse it.
  if (!name || name.startsWith("-") || name.includes("@{") || name.length > 200) {
    throw new WorkspaceError(`Invalid branch name ${JSON.stringify(name)}.`);
  }
  try {
    await runGit(["check-ref-format", "--branch", name], { cwd: tmpdir() });
  } catch {
    throw new WorkspaceError(`Invalid branch name ${JSON.stringify(name)}: git does not accept it as a branch.`);
  }
}

/** Only http(s) and file URLs or absolute local paths, and never credentials inside the URL. */
function assertRemoteUrl(url: string): void {
  if (url.startsWith("/")) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WorkspaceError(`Not a repository URL: ${JSON.stringify(url)}.`);
  }
  if (!["https:", "http:", "file:"].includes(parsed.protocol)) {
    throw new WorkspaceError(`Unsupported repository URL scheme ${parsed.protocol}; use https.`);
  }
  if (parsed.username || parsed.password) {
    throw new WorkspaceError("The repository URL contains credentials; pass the token separately so it never lands in .git/config.");
  }
}

/**
 * Settings written into the clone itself as a second line of defence, in case anything ever runs plain
 * git there; every call of ours passes them on the command line anyway.
 */
const CLONE_CONFIG: [string, string][] = [
  ["core.hooksPath", "/dev/null"],
  ["core.fsmonitor", "false"],
  ["core.symlinks", "false"],
  ["gc.auto", "0"],
];

/**
 * `git archive` obeys the repository's export-ignore/export-subst attributes, which would silently drop
 * files (often the tests) from the sandbox. `$GIT_DIR/info/attributes` outranks in-tree `.gitattributes`.
 */
const INFO_ATTRIBUTES = "* -export-ignore -export-subst\n";

export interface CloneOptions {
  /** https URL without credentials (or a local path/file URL for the CLI). */
  cloneUrl: string;
  branch: string;
  /** Must not exist yet, or be empty. */
  dir: string;
  token?: string;
  /** History depth; 0 for the full history. Default 1. */
  depth?: number;
  timeoutMs?: number;
}

/**
 * The clone both kinds share: checked URL and branch, an empty target, single branch without tags or
 * submodules, the token for the transfer only (written nowhere), then the hardening settings.
 */
async function hardenedClone(options: CloneOptions, call: { flags: string[]; depth: number; failure: string; timeoutMs: number }): Promise<string> {
  const { cloneUrl, branch, token } = options;
  assertRemoteUrl(cloneUrl);
  await assertBranchName(branch);
  const dir = resolve(options.dir);
  await mkdir(dirname(dir), { recursive: true });
  const existing = await readdir(dir).catch(() => null);
  if (existing && existing.length > 0) throw new WorkspaceError(`The clone directory ${dir} is not empty.`);

  const args = ["clone", "--quiet", "--no-tags", "--single-branch", "--branch", branch, "--no-recurse-submodules", ...call.flags];
  if (call.depth > 0) args.push("--depth", String(call.depth));
  args.push("--", cloneUrl, dir);
  try {
    await runGit(args, { cwd: dirname(dir), token, timeoutMs: options.timeoutMs ?? call.timeoutMs });
  } catch (error) {
    throw new GitHubApiError(`${call.failure} ${branch}: ${gitReason(error, { dir, token })}`, undefined, error);
  }
  for (const [key, value] of CLONE_CONFIG) await runGit(["config", "--local", key, value], { cwd: dir });
  return dir;
}

/** Shallow single-branch work clone. */
export async function cloneRepository(options: CloneOptions): Promise<{ dir: string; headSha: string }> {
  const depth = options.depth ?? 1;
  if (!Number.isInteger(depth) || depth < 0) throw new WorkspaceError(`Invalid clone depth ${depth}.`);
  const dir = await hardenedClone(options, { flags: [], depth, failure: "Could not clone branch", timeoutMs: 300_000 });
  await writeInfoAttributes(dir);
  return { dir, headSha: await headSha(dir) };
}

/**
 * Commits and trees (no file contents) of the last `depth` commits of a branch, in a bare repository of their
 * own: enough for `git log --name-only`, which is all the co-change signal reads, at a fraction of a full
 * clone. Kept apart from the work clone on purpose: a partial clone fetches missing objects lazily, and a lazy
 * fetch in the work clone would run without credentials in the middle of some later command.
 */
export async function cloneHistory(options: CloneOptions): Promise<{ dir: string }> {
  const depth = options.depth ?? 1000;
  if (!Number.isInteger(depth) || depth < 1) throw new WorkspaceError(`Invalid history depth ${depth}.`);
  const dir = await hardenedClone(options, { flags: ["--bare", "--filter=blob:none"], depth, failure: "Could not fetch the history of branch", timeoutMs: 120_000 });
  return { dir };
}

async function writeInfoAttributes(dir: string): Promise<void> {
  const gitDir = resolve(dir, await text(["rev-parse", "--git-dir"], dir));
  await mkdir(join(gitDir, "info"), { recursive: true });
  await writeFile(join(gitDir, "info", "attributes"), INFO_ATTRIBUTES);
}

export async function headSha(dir: string): Promise<string> {
  return text(["rev-parse", "--verify", "HEAD^{commit}"], dir);
}

/** Create and switch to a new branch at HEAD. */
export async function createBranch(dir: string, name: string): Promise<void> {
  await assertBranchName(name);
  await text(["checkout", "--quiet", "-b", name], dir);
}

/** Stage every change in the working tree (additions, edits, deletions), as git sees it. */
export async function stageAll(dir: string): Promise<void> {
  await text(["add", "--all", "--", "."], dir);
}

/** The tree of the index (call `stageAll` first): git's own view of the working tree. */
export async function writeTree(dir: string): Promise<string> {
  return text(["write-tree"], dir);
}

/** Paths that differ between two trees (or commits), with their modes; renames are reported as D + A. */
export async function changedPaths(dir: string, fromTree: string, toTree: string): Promise<ChangedPath[]> {
  const out = await runGit(["diff-tree", "-r", "-z", "--raw", "--no-renames", "--no-ext-diff", fromTree, toTree, "--"], { cwd: dir });
  return parseRawDiff(out);
}

/** An empty tar archive: two 512-byte zero blocks. */
const EMPTY_TAR = Buffer.alloc(1024);

/**
 * A tar of `treeish` (optionally only `paths`, matched literally), built by `git archive` from git's
 * objects: the only way files go into the sandbox. Paths must exist in the tree.
 */
export async function archiveTree(dir: string, treeish: string, paths?: string[], options: { maxBytes?: number } = {}): Promise<Buffer> {
  if (paths && paths.length === 0) return Buffer.from(EMPTY_TAR);
  const args = ["--literal-pathspecs", "archive", "--format=tar", treeish, "--", ...(paths ?? [])];
  return runGit(args, { cwd: dir, maxBytes: options.maxBytes ?? 512 * 1024 * 1024 });
}

/** `git diff --binary` between two tree-ishes: the exact patch the patch validator checks. */
export async function diffBinary(dir: string, fromTreeish: string, toTreeish: string, options: { maxBytes?: number } = {}): Promise<string> {
  const args = ["diff", "--binary", "--full-index", "--no-renames", "--no-ext-diff", "--no-textconv", "--no-color", fromTreeish, toTreeish, "--"];
  return (await runGit(args, { cwd: dir, maxBytes: options.maxBytes ?? 64 * 1024 * 1024 })).toString("utf8");
}

/** Stage everything and commit it as the bot (hooks never run); returns the new commit. */
export async function commitAll(dir: string, message: string): Promise<string> {
  if (!message.trim()) throw new WorkspaceError("A commit message is required.");
  await stageAll(dir);
  const staged = await runGit(["diff", "--cached", "--name-only", "-z"], { cwd: dir });
  if (staged.length === 0) throw new WorkspaceError("There are no changes to commit.");
  // verbatim: the default cleanup would drop lines starting with "#" (e.g. "#12 fixed") from the message.
  const body = message.endsWith("\n") ? message : `${message}\n`;
  await runGit(["commit", "--quiet", "--no-verify", "--no-gpg-sign", "--cleanup=verbatim", "-F", "-"], { cwd: dir, input: body });
  return headSha(dir);
}

export interface PushOptions {
  remoteUrl: string;
  branch: string;
  token?: string;
  /** Overwrite the remote branch. With `expectedRemoteSha`, only if it still points there (lease). */
  force?: boolean;
  expectedRemoteSha?: string;
  timeoutMs?: number;
}

/** Push HEAD to `refs/heads/<branch>` on the remote URL; returns the pushed commit. */
export async function push(dir: string, options: PushOptions): Promise<string> {
  const { remoteUrl, branch, token } = options;
  assertRemoteUrl(remoteUrl);
  await assertBranchName(branch);
  const sha = await headSha(dir);
  const target = `refs/heads/${branch}`;
  const args = ["push", "--no-verify", "--no-recurse-submodules"];
  if (options.force && options.expectedRemoteSha) args.push(`--force-with-lease=${target}:${options.expectedRemoteSha}`);
  args.push("--", remoteUrl, `${options.force && !options.expectedRemoteSha ? "+" : ""}${sha}:${target}`);
  try {
    await safeGit(dir, { token, timeoutMs: options.timeoutMs ?? 300_000 }).raw(args);
  } catch (error) {
    throw pushError(gitReason(error, { dir, token }), branch, error);
  }
  return sha;
}

/**
 * git's complaint, fit for a GitHub comment: host paths become <workspace>, and the token (which git never
 * prints, since it travels in the environment) is masked all the same.
 */
function gitReason(error: unknown, secrets: { dir: string; token?: string }): string {
  let reason = error instanceof Error ? error.message : String(error);
  for (const path of [secrets.dir, dirname(secrets.dir)]) if (path.length > 1) reason = reason.split(path).join("<workspace>");
  if (secrets.token) reason = reason.split(secrets.token).join("***");
  return reason;
}

/**
 * A commit object for the working tree as git sees it (everything staged), parented on `parent`, without
 * moving HEAD or any branch: lets commit-based tools (diffs, the risk reader) look at work in progress.
 */
export async function snapshotCommit(dir: string, parent: string): Promise<string> {
  await stageAll(dir);
  const tree = await writeTree(dir);
  return text(["commit-tree", tree, "-p", parent, "-m", "codegen snapshot"], dir);
}
