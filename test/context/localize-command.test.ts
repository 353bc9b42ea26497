import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { runGit } from "../../src/git/safe-git.js";
import { createSampleRepo, type SampleRepo } from "../fixtures/context/sample-repo.js";

let repo: SampleRepo;
let work: string;
beforeAll(async () => {
  repo = await createSampleRepo();
  work = mkdtempSync(join(tmpdir(), "codegen-localize-cli-"));
  writeFileSync(join(work, "task.md"), "`Duration.toISOString()` prints seconds with arbitrary precision\n");
  writeFileSync(join(work, "empty.md"), "  \n");
  writeFileSync(join(work, "vague.md"), "Tidy this up before review\n");
});
afterAll(() => {
  repo.cleanup();
  rmSync(work, { recursive: true, force: true });
});

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(["localize", ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { CODEGEN_CACHE_DIR: join(work, "cache") },
    cwd: work,
  });
  return { code, stdout, stderr };
}

describe("codegen localize", () => {
  it("prints the ranked list as JSON, best first", async () => {
    const { code, stdout } = await run(["--repo", repo.dir, "--task-file", "task.md", "--budget", "4000", "--json"]);
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.budget).toBe(4000);
    expect(output.files[0]).toEqual({ path: "src/plugin/duration/index.js", score: expect.any(Number), tokens: expect.any(Number), reasons: expect.any(Array) });
    const scores = output.files.map((f: { score: number }) => f.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(output.usedTokens).toBeLessThanOrEqual(4000);
    expect(output.included[0]).toEqual({ path: "src/plugin/duration/index.js", role: "target", tokens: expect.any(Number) });
  });

  it("prints a readable list, and uses the commit cache on a clean work tree", async () => {
    await run(["--repo", repo.dir, "--task-file", "task.md"]);
    const { code, stdout } = await run(["--repo", repo.dir, "--task-file", "task.md", "--limit", "3"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/cached index/);
    expect(stdout).toMatch(/ {2}1\. [\d.]+ +\d+ tok {2}src\/plugin\/duration\/index\.js/);
    expect(stdout).toContain("In the prompt (");
  });

  it.each([
    [["--repo", "."], /--task-file: is required/],
    [["--task-file", "task.md", "--budget", "10"], /--budget:/],
    [["--task-file", "task.md", "--bogus"], /Unknown option '--bogus'/],
    [["--task-file", "missing.md"], /cannot read --task-file missing.md/],
    [["--task-file", "empty.md"], /is empty/],
    [["--repo", "no-such-dir", "--task-file", "task.md"], /--repo no-such-dir is not a directory/],
    [["--repo", "task.md", "--task-file", "task.md"], /--repo task.md is not a directory/],
    [["--task-file", "task.md", "--focus", "../outside.js"], /--focus \.\.\/outside\.js: give a file inside the repository/],
    [["--task-file", "task.md", "--focus", "/etc/passwd"], /--focus \/etc\/passwd: give a file inside the repository/],
  ])("rejects %j with a message saying what to fix", async (args, message) => {
    const { code, stderr } = await run(args as string[]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe("codegen localize on a branch", () => {
  let branchRepo: SampleRepo;
  beforeAll(async () => {
    branchRepo = await createSampleRepo();
    const git = (...args: string[]) => runGit(args, { cwd: branchRepo.dir });
    await git("tag", "start");
    await git("checkout", "-q", "-b", "feature");
    appendFileSync(join(branchRepo.dir, "src/plugin/timezone/index.js"), "export const UTC = 'UTC'\n");
    await git("commit", "-q", "-am", "timezone: UTC");
    appendFileSync(join(branchRepo.dir, "lib/handlers.py"), "# not committed yet\n");
    appendFileSync(join(branchRepo.dir, "package-lock.json"), "\n");
  });
  afterAll(() => branchRepo.cleanup());

  const reasonOf = (file: { reasons: { signal: string; detail?: string }[] }) => file.reasons.find((r) => r.signal === "pull-request");

  it("--base ranks the files the branch changes first: committed and edited, lockfiles still left out", async () => {
    const { code, stdout } = await run(["--repo", branchRepo.dir, "--task-file", "vague.md", "--base", "start", "--json"]);
    expect(code).toBe(0);
    const files = JSON.parse(stdout).files;
    expect(files.slice(0, 2).map((f: { path: string }) => f.path).sort()).toEqual(["lib/handlers.py", "src/plugin/timezone/index.js"]);
    expect(reasonOf(files[0])).toEqual({ signal: "pull-request", score: 1.5, detail: "changed since start" });
    expect(files.slice(2).every((f: { reasons: { signal: string }[] }) => !reasonOf(f))).toBe(true);
    expect(files.some((f: { path: string }) => f.path === "package-lock.json")).toBe(false);
  });

  it("a file the task names can still outrank the branch's files", async () => {
    const { stdout } = await run(["--repo", branchRepo.dir, "--task-file", "task.md", "--base", "start", "--json"]);
    const paths = JSON.parse(stdout).files.map((f: { path: string }) => f.path);
    expect(paths[0]).toBe("src/plugin/duration/index.js");
    expect(paths.indexOf("src/plugin/timezone/index.js")).toBeLessThan(5);
  });

  it("without --base or --focus, the branch's files get no lift", async () => {
    const { stdout } = await run(["--repo", branchRepo.dir, "--task-file", "vague.md", "--json"]);
    const files = JSON.parse(stdout).files;
    expect(files.every((f: { reasons: { signal: string }[] }) => !reasonOf(f))).toBe(true);
    expect(files.slice(0, 2).map((f: { path: string }) => f.path).sort()).not.toEqual(["lib/handlers.py", "src/plugin/timezone/index.js"]);
  });

  it("--focus ranks the named files first and says which it could not rank", async () => {
    const { code, stdout, stderr } = await run(["--repo", branchRepo.dir, "--task-file", "vague.md", "--focus", "./src/utils.js", "--focus", "src/missing.js", "--limit", "2"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ {2}1\. [\d.]+ +\d+ tok {2}src\/utils\.js\n {7}pull-request 1\.50 \(named by --focus\)/);
    expect(stderr).toBe("--focus src/missing.js: not ranked, so ignored (no such file, a protected path, or a kind the selector leaves out: lockfiles, generated, vendored, binary)\n");
  });

  it.each([
    ["no-such-branch", /--base no-such-branch is not a commit of the repository/],
    ["--upload-pack=evil", /is not a ref/],
  ])("--base %s is refused with a message saying what to give", async (base, message) => {
    const { code, stderr } = await run(["--repo", branchRepo.dir, "--task-file", "task.md", `--base=${base}`]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
