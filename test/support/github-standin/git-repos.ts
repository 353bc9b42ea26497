import { spawn } from "node:child_process";
import { chmod, lstat, mkdir, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/**
 * The stand-in's own git: the server side, so unlike the app's hardened git it runs hooks (its own
 * pre-receive hook is trusted). It still ignores the machine's system and global config.
 */
export function standInGitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("GIT_")) env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
    ...extra,
  };
}

export function git(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: Buffer | string },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd: options.cwd, env: standInGitEnv(options.env), stdio: "pipe" });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    // git may exit before reading stdin; the exit code reports the real outcome.
    child.stdin.on("error", () => {});
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`stand-in git ${args.join(" ")} failed (${code}): ${Buffer.concat(err).toString("utf8").trim()}`));
    });
    child.stdin.end(options.input ?? "");
  });
}

export interface StandInPullFile {
  filename: string;
  status: string;
  previous_filename?: string;
  additions: number;
  deletions: number;
  patch?: string;
}

/** A file to seed: text or bytes, optionally executable, or a symbolic link holding `symlink` as its target. */
export type FileSpec = string | Buffer | { content: string | Buffer; executable?: boolean } | { symlink: string };

const ZERO = "0000000000000000000000000000000000000000";

/**
 * GitHub refuses pushes by an app without the `workflows` permission that create or change files under
 * `.github/workflows/`. The stand-in passes STANDIN_WORKFLOWS_PERMISSION to git http-backend, and
 * receive-pack hands it to this hook.
 */
const PRE_RECEIVE_HOOK = `#!/bin/sh
[ "$STANDIN_WORKFLOWS_PERMISSION" = "1" ] && exit 0
zero=${ZERO}
while read old new ref; do
  [ "$new" = "$zero" ] && continue
  if [ "$old" = "$zero" ]; then commits=$(git rev-list "$new" --not --all); else commits=$(git rev-list "$old..$new"); fi
  for c in $commits; do
    file=$(git diff-tree --no-commit-id --root -r --name-only "$c" -- .github/workflows/ | head -n 1)
    if [ -n "$file" ]; then
      echo "refusing to allow a GitHub App to create or update workflow \\\`$file\\\` without \\\`workflows\\\` permission" >&2
      exit 1
    fi
  done
done
exit 0
`;

export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size: number;
  name: string;
}

export type PathObject =
  | { kind: "file"; mode: string; sha: string; content: Buffer }
  | { kind: "dir"; sha: string; entries: TreeEntry[] }
  | { kind: "submodule"; sha: string };

/** Bare repositories under one project root, laid out as `<root>/<owner>/<name>.git` for git http-backend. */
export class BareRepositories {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  dirFor(owner: string, name: string): string {
    return join(this.root, owner, `${name}.git`);
  }

  async create(owner: string, name: string, defaultBranch: string): Promise<string> {
    const dir = this.dirFor(owner, name);
    await mkdir(dir, { recursive: true });
    await git(["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`, dir], { cwd: this.root });
    await git(["config", "http.receivepack", "true"], { cwd: dir });
    await git(["config", "receive.denyDeleteCurrent", "true"], { cwd: dir });
    await git(["config", "uploadpack.allowAnySHA1InWant", "true"], { cwd: dir });
    // GitHub serves partial clones (--filter=blob:none); so does the stand-in.
    await git(["config", "uploadpack.allowFilter", "true"], { cwd: dir });
    const hook = join(dir, "hooks", "pre-receive");
    await writeFile(hook, PRE_RECEIVE_HOOK);
    await chmod(hook, 0o755);
    return dir;
  }

  /**
   * Commit straight into a bare repository with plumbing (no work tree, no receive hooks: seeding is trusted).
   * Starts from `parent` (a ref or sha) when given, otherwise from the branch's tip, otherwise from nothing.
   */
  async commit(
    dir: string,
    input: {
      branch: string;
      parent?: string;
      files?: Record<string, FileSpec>;
      deletions?: string[];
      message: string;
      author?: { name: string; email: string };
    },
  ): Promise<string> {
    const parent = input.parent ? await this.resolve(dir, input.parent) : await this.resolve(dir, `refs/heads/${input.branch}`);
    if (input.parent && !parent) throw new Error(`stand-in: no commit ${input.parent} in ${dir}`);
    const indexFile = join(dir, `standin-index-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    const env = { GIT_INDEX_FILE: indexFile };
    try {
      if (parent) await git(["read-tree", parent], { cwd: dir, env });
      else await git(["read-tree", "--empty"], { cwd: dir, env });
      for (const [path, spec] of Object.entries(input.files ?? {})) {
        const { mode, content } = normaliseSpec(spec);
        const sha = (await git(["hash-object", "-w", "--stdin"], { cwd: dir, input: content })).toString().trim();
        await git(["update-index", "--add", "--cacheinfo", `${mode},${sha},${path}`], { cwd: dir, env });
      }
      // Mode 0 removes an entry; unlike --force-remove it needs no work tree (this repository is bare).
      const removals = (input.deletions ?? []).map((path) => `0 ${"0".repeat(40)}\t${path}\n`).join("");
      if (removals) await git(["update-index", "--index-info"], { cwd: dir, env, input: removals });
      const tree = (await git(["write-tree"], { cwd: dir, env })).toString().trim();
      const author = input.author ?? { name: "Stand-in Seeder", email: "seeder@example.test" };
      const identity = {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
      };
      const args = ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-F", "-"];
      const sha = (await git(args, { cwd: dir, env: identity, input: input.message })).toString().trim();
      await git(["update-ref", `refs/heads/${input.branch}`, sha], { cwd: dir });
      return sha;
    } finally {
      await rm(indexFile, { force: true });
    }
  }

  async createBranch(dir: string, name: string, from: string): Promise<string> {
    const sha = await this.resolve(dir, from);
    if (!sha) throw new Error(`stand-in: cannot branch from unknown ref ${from}`);
    await git(["update-ref", `refs/heads/${name}`, sha], { cwd: dir });
    return sha;
  }

  /** The commit a ref (branch, tag, sha) names, or null. */
  async resolve(dir: string, ref: string): Promise<string | null> {
    if (!ref || ref.startsWith("-")) return null;
    try {
      return (await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: dir })).toString().trim() || null;
    } catch {
      return null;
    }
  }

  async branches(dir: string): Promise<Record<string, string>> {
    const out = (await git(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/"], { cwd: dir })).toString();
    const result: Record<string, string> = {};
    for (const line of out.split("\n")) {
      const match = /^([0-9a-f]{40}) refs\/heads\/(.+)$/.exec(line);
      if (match) result[match[2]!] = match[1]!;
    }
    return result;
  }

  /** Commits reachable from `head` but not from `base`. */
  async countCommitsBetween(dir: string, base: string, head: string): Promise<number> {
    const out = await git(["rev-list", "--count", `${base}..${head}`], { cwd: dir });
    return Number(out.toString().trim());
  }

  /**
   * The files a pull request changes, as GitHub's "list pull request files" reports them: against the merge
   * base of base and head (the three-dot diff), renames found, each with its hunks (no patch for binary files).
   */
  async pullRequestFiles(dir: string, base: string, head: string): Promise<StandInPullFile[]> {
    const mergeBase = (await git(["merge-base", base, head], { cwd: dir })).toString().trim();
    const range = ["--find-renames", mergeBase, head];
    // -z numstat: "added\tdeleted\tpath\0", or for a rename "added\tdeleted\t\0old\0new\0"; "-" counts for binary files.
    const numstat = (await git(["diff", "--numstat", "-z", ...range], { cwd: dir })).toString("utf8").split("\0");
    const status = (await git(["diff", "--name-status", "-z", ...range], { cwd: dir })).toString("utf8").split("\0");
    const patches = (await git(["diff", "--no-prefix", ...range], { cwd: dir })).toString("utf8").split(/^diff --git /m).slice(1);
    const statusNames: Record<string, string> = { A: "added", D: "removed", M: "modified", R: "renamed", C: "copied", T: "changed" };
    const files: StandInPullFile[] = [];
    for (let i = 0, s = 0; i < numstat.length - 1; ) {
      const [added, deleted, inline] = numstat[i++]!.split("\t");
      const previous = inline === "" ? numstat[i++] : undefined;
      const path = inline === "" ? numstat[i++]! : inline!;
      const letter = status[s]![0]!;
      s += letter === "R" || letter === "C" ? 3 : 2;
      // Each file's section of the diff, in the same order; GitHub's patch is its hunks alone.
      const section = patches[files.length] ?? "";
      const hunks = section.indexOf("\n@@");
      const binary = added === "-";
      files.push({
        filename: path,
        status: statusNames[letter] ?? "modified",
        previous_filename: previous,
        additions: binary ? 0 : Number(added),
        deletions: binary ? 0 : Number(deleted),
        patch: binary || hunks < 0 ? undefined : section.slice(hunks + 1).replace(/\n$/, ""),
      });
    }
    return files;
  }

  /** What sits at `path` in commit `commitSha` ("" is the root), read with ls-tree and cat-file; null when absent. */
  async readPath(dir: string, commitSha: string, path: string): Promise<PathObject | null> {
    const clean = path.replace(/^\/+|\/+$/g, "");
    if (clean === "") {
      const sha = (await git(["rev-parse", `${commitSha}^{tree}`], { cwd: dir })).toString().trim();
      return { kind: "dir", sha, entries: await this.#listTree(dir, sha) };
    }
    const out = await git(["ls-tree", "-z", commitSha, "--", clean], { cwd: dir });
    const record = out.toString("utf8").split("\0").find((r) => r.length > 0);
    if (!record) return null;
    const match = /^(\d+) (\w+) ([0-9a-f]{40})\t([\s\S]*)$/.exec(record);
    if (!match || match[4] !== clean) return null;
    const [, mode, type, sha] = match as unknown as [string, string, string, string];
    if (type === "tree") return { kind: "dir", sha, entries: await this.#listTree(dir, sha) };
    if (type === "commit") return { kind: "submodule", sha };
    const content = await git(["cat-file", "blob", sha], { cwd: dir });
    return { kind: "file", mode, sha, content };
  }

  async #listTree(dir: string, treeSha: string): Promise<TreeEntry[]> {
    const out = (await git(["ls-tree", "-z", "-l", treeSha], { cwd: dir })).toString("utf8");
    const entries: TreeEntry[] = [];
    for (const record of out.split("\0")) {
      const match = /^(\d+) (\w+) ([0-9a-f]{40}) +(-|\d+)\t([\s\S]*)$/.exec(record);
      if (!match) continue;
      entries.push({
        mode: match[1]!,
        type: match[2] as TreeEntry["type"],
        sha: match[3]!,
        size: match[4] === "-" ? 0 : Number(match[4]),
        name: match[5]!,
      });
    }
    return entries;
  }
}

function normaliseSpec(spec: FileSpec): { mode: string; content: Buffer } {
  if (typeof spec === "string") return { mode: "100644", content: Buffer.from(spec) };
  if (Buffer.isBuffer(spec)) return { mode: "100644", content: spec };
  if ("symlink" in spec) return { mode: "120000", content: Buffer.from(spec.symlink) };
  return { mode: spec.executable ? "100755" : "100644", content: Buffer.from(spec.content) };
}

/** Read a local directory into a file map (skipping `.git`), keeping symlinks as links and the executable bit. */
export async function filesFromDirectory(root: string): Promise<Record<string, FileSpec>> {
  const files: Record<string, FileSpec> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      const full = join(dir, entry.name);
      const path = relative(root, full).split(sep).join("/");
      if (entry.isSymbolicLink()) files[path] = { symlink: await readlink(full) };
      else if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const stats = await lstat(full);
        files[path] = { content: await readFile(full), executable: (stats.mode & 0o111) !== 0 };
      }
    }
  };
  await walk(root);
  return files;
}
