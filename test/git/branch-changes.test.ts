import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationError } from "../../src/errors/index.js";
import { branchChanges, committedBranchFiles } from "../../src/git/branch-changes.js";
import { runGit } from "../../src/git/safe-git.js";

let dir: string;
const git = (...args: string[]) => runGit(args, { cwd: dir });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "codegen-branch-changes-"));
  await git("init", "-q");
  for (const name of ["a.js", "b.js", "c.js", "gone.js"]) writeFileSync(join(dir, name), `// ${name}\n`);
  await git("add", "-A");
  await git("commit", "-q", "-m", "start");
  await git("tag", "start");
  await git("checkout", "-q", "-b", "feature");
  appendFileSync(join(dir, "a.js"), "// committed on the branch\n");
  await git("rm", "-q", "gone.js");
  writeFileSync(join(dir, "logo.bin"), Buffer.from([0, 1, 2, 0, 255]));
  await git("add", "logo.bin");
  await git("commit", "-q", "-am", "work");
  await git("checkout", "-q", "--orphan", "unrelated");
  await git("rm", "-rq", "--cached", ".");
  await git("commit", "-q", "--allow-empty", "-m", "no shared history");
  await git("tag", "unrelated");
  await git("checkout", "-q", "-f", "feature");
  appendFileSync(join(dir, "b.js"), "// edited, not committed\n");
  writeFileSync(join(dir, "staged new.js"), "// added with git add\n");
  await git("add", "staged new.js");
  writeFileSync(join(dir, "untracked.js"), "// never added\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("branchChanges", () => {
  it("lists the tracked files changed since the merge base: committed, edited and staged; not deleted or untracked", async () => {
    expect(await branchChanges(dir, "start")).toEqual(["a.js", "b.js", "logo.bin", "staged new.js"]);
  });

  it("against HEAD, lists only the work not yet committed", async () => {
    expect(await branchChanges(dir, "HEAD")).toEqual(["b.js", "staged new.js"]);
  });

  it("committedBranchFiles: the commits alone, file by file as GitHub lists a pull request's (hunks from the merge base)", async () => {
    expect(await committedBranchFiles(dir, "start")).toEqual([
      { path: "a.js", status: "modified", additions: 1, deletions: 0, patch: "@@ -1 +1,2 @@\n // a.js\n+// committed on the branch" },
      { path: "gone.js", status: "removed", additions: 0, deletions: 1, patch: "@@ -1 +0,0 @@\n-// gone.js" },
      { path: "logo.bin", status: "added", additions: 0, deletions: 0 },
    ]);
    expect(await committedBranchFiles(dir, "HEAD")).toEqual([]);
  });

  it.each([
    ["no-such-ref", /not a commit of the repository/],
    ["-p", /is not a ref/],
    ["unrelated", /shares no history with HEAD/],
  ])("refuses --base %s with a ConfigurationError saying what to give", async (base, message) => {
    for (const list of [branchChanges, committedBranchFiles]) {
      const error = await list(dir, base).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
