import type { PullRequestFile } from "../../src/github/forge.js";
import { protectedPathMatcher } from "../../src/config/protected-paths.js";
import { focusPaths, renderPullRequestDiff, type PullRequestChange } from "../../src/jobs/pull-request-change.js";

const file = (path: string, status: string, patch: string | undefined, extra: Partial<PullRequestFile> = {}): PullRequestFile => ({
  path,
  status,
  additions: 1,
  deletions: 1,
  ...(patch !== undefined ? { patch } : {}),
  ...extra,
});

const change = (...files: PullRequestFile[]): PullRequestChange => ({ number: 4, baseRef: "main", files });

describe("focusPaths", () => {
  it("keeps every path the head still has, renamed files under their new name", () => {
    const files = [
      file("src/a.js", "modified", "@@"),
      file("src/new.js", "renamed", "@@", { previousPath: "src/old.js" }),
      file("src/gone.js", "removed", "@@"),
      file("src/added.js", "added", "@@"),
      file("logo.png", "modified", undefined),
    ];
    expect(focusPaths(change(...files))).toEqual(["src/a.js", "src/new.js", "src/added.js", "logo.png"]);
  });
});

describe("renderPullRequestDiff", () => {
  it.each<[string, PullRequestFile, string]>([
    ["a modified file", file("src/a.js", "modified", "@@ -1 +1 @@\n-a\n+b"), "diff --git a/src/a.js b/src/a.js\n--- a/src/a.js\n+++ b/src/a.js\n@@ -1 +1 @@\n-a\n+b"],
    ["an added file", file("src/n.js", "added", "@@ -0,0 +1 @@\n+n"), "diff --git a/src/n.js b/src/n.js\nnew file\n--- /dev/null\n+++ b/src/n.js\n@@ -0,0 +1 @@\n+n"],
    ["a removed file", file("src/r.js", "removed", "@@ -1 +0,0 @@\n-r"), "diff --git a/src/r.js b/src/r.js\ndeleted file\n--- a/src/r.js\n+++ /dev/null\n@@ -1 +0,0 @@\n-r"],
    [
      "a renamed file",
      file("src/new.js", "renamed", "@@ -1 +1 @@\n-x\n+y", { previousPath: "src/old.js" }),
      "diff --git a/src/old.js b/src/new.js\nrename from src/old.js\nrename to src/new.js\n--- a/src/old.js\n+++ b/src/new.js\n@@ -1 +1 @@\n-x\n+y",
    ],
    ["a binary file GitHub shows no hunks for", file("logo.png", "modified", undefined, { additions: 0, deletions: 0 }), "Also changed, diff not shown (read these files with the view tool):\n- logo.png (modified, +0 −0, no text diff)"],
  ])("%s", (_name, input, expected) => {
    expect(renderPullRequestDiff(change(input), 10_000)).toBe(expected);
  });

  it("shows whole files while they fit and names the rest with their line counts", () => {
    const big = file("src/big.js", "modified", `@@ -1,300 +1,300 @@\n${"+line\n".repeat(300)}`, { additions: 300, deletions: 300 });
    const small = file("src/small.js", "modified", "@@ -1 +1 @@\n-a\n+b");
    const text = renderPullRequestDiff(change(big, small), 500);
    expect(text.length).toBeLessThan(700);
    expect(text).toContain("diff --git a/src/small.js b/src/small.js");
    expect(text).not.toContain("diff --git a/src/big.js");
    expect(text).toContain("- src/big.js (modified, +300 −300)");
  });

  it("names at most 200 files it does not show", () => {
    const files = Array.from({ length: 250 }, (_, i) => file(`bin/${i}.png`, "added", undefined));
    const lines = renderPullRequestDiff(change(...files), 1_000).split("\n");
    expect(lines.filter((line) => line.startsWith("- bin/"))).toHaveLength(200);
    expect(lines.at(-1)).toBe("- and 50 more files");
  });
});

describe("protected files in a pull request's diff", () => {
  it("are named, never shown, even when renamed from a protected path", () => {
    const text = renderPullRequestDiff(
      change(
        file("secrets/key.pem", "modified", "@@ -1 +1 @@\n-OLD-SECRET\n+NEW-SECRET"),
        file("src/public.js", "renamed", "@@ -1 +1 @@\n-a\n+b", { previousPath: "secrets/moved.js" }),
        file("src/a.js", "modified", "@@ -1 +1 @@\n-x\n+y"),
      ),
      10_000,
      protectedPathMatcher(["secrets"]),
    );
    expect(text).not.toMatch(/SECRET|^-a$/m);
    expect(text).toContain("diff --git a/src/a.js b/src/a.js");
    expect(text).toContain("Also changed, diff not shown (read the others with the view tool; protected files stay closed):");
    expect(text).toContain("- secrets/key.pem (modified, +1 −1, protected: not shown)");
    expect(text).toContain("- src/public.js (renamed, +1 −1, protected: not shown)");
  });
});
