/**
 * A worktree of a mirror at a commit. Mirrors fetched by the search tool may lack their largest blobs (images,
 * archives); those paths are left out of the checkout with a sparse-checkout pattern instead of failing it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runGit } from "../../src/git/safe-git.js";

/** One benchmark row (SWE-bench's field names). */
export interface Instance {
  instance_id: string;
  repo: string;
  base_commit: string;
  problem_statement: string;
  patch: string;
}

/** The rows of a JSONL data set. */
export function readInstances(path: string): Instance[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Instance);
}

/** The git directory of `owner/name` under a folder of mirrors, in the layouts mirrors come in. */
export function findMirror(mirrors: string, repo: string): string {
  const [owner, name] = repo.split("/");
  const candidates = [`${owner}+${name}/repo`, `${owner}+${name}`, `${owner}/${name}.git`, `${owner}/${name}`, `${name}.git`, name];
  for (const candidate of candidates) {
    const dir = join(mirrors, candidate);
    if (existsSync(join(dir, "HEAD")) && existsSync(join(dir, "objects"))) return dir;
    if (existsSync(join(dir, ".git", "HEAD"))) return join(dir, ".git");
  }
  throw new Error(`no git mirror of ${repo} under ${mirrors} (tried ${candidates.join(", ")})`);
}

export async function addWorktree(mirror: string, dir: string, commit: string): Promise<{ missing: string[] }> {
  await runGit(["worktree", "add", "--no-checkout", "--detach", dir, commit], { cwd: mirror, timeoutMs: 300_000 });
  const tree = (await runGit(["ls-tree", "-r", "-z", "--full-tree", commit], { cwd: dir, timeoutMs: 120_000, maxBytes: 512 * 1024 * 1024 })).toString("utf8");
  const blobs = tree
    .split("\0")
    .filter(Boolean)
    .map((entry) => {
      const [meta, path] = entry.split("\t");
      const [, type, sha] = meta.split(" ");
      return { type, sha, path };
    })
    .filter((e) => e.type === "blob");
  const checked = (await runGit(["cat-file", "--batch-check=%(objectname) %(objecttype)"], { cwd: dir, input: blobs.map((b) => b.sha).join("\n") + "\n", timeoutMs: 120_000, maxBytes: 512 * 1024 * 1024 }))
    .toString("utf8")
    .split("\n");
  const missing = blobs.filter((_, i) => / missing$/.test(checked[i] ?? "")).map((b) => b.path);
  if (missing.length > 0) {
    const patterns = ["/*", ...missing.map((p) => "!/" + p.replace(/([*?[\]!\\ #])/g, "\\$1"))];
    await runGit(["sparse-checkout", "set", "--no-cone", "--stdin"], { cwd: dir, input: patterns.join("\n") + "\n", timeoutMs: 120_000 });
  }
  await runGit(["checkout", "--detach", "-q", commit], { cwd: dir, timeoutMs: 300_000 });
  return { missing };
}
