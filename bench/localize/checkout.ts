/**
 * A worktree of a mirror at a commit. Mirrors fetched by the search tool may lack their largest blobs (images,
 * archives); those paths are left out of the checkout with a sparse-checkout pattern instead of failing it.
 */
import { runGit } from "../../src/git/safe-git.js";

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
