import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { createSampleRepo, type SampleRepo } from "../fixtures/context/sample-repo.js";

let repo: SampleRepo;
let work: string;
beforeAll(async () => {
  repo = await createSampleRepo();
  work = mkdtempSync(join(tmpdir(), "codegen-localize-cli-"));
  writeFileSync(join(work, "task.md"), "`Duration.toISOString()` prints seconds with arbitrary precision\n");
  writeFileSync(join(work, "empty.md"), "  \n");
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
  ])("rejects %j with a message saying what to fix", async (args, message) => {
    const { code, stderr } = await run(args as string[]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
