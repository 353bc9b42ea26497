import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { runGit } from "../../src/git/safe-git.js";
import { message, startAnthropicStandIn, type AnthropicStandIn } from "../support/anthropic-standin/index.js";
import { breakThenFix } from "../support/scripted-models.js";
import { leftoverContainers } from "../support/leftover-containers.js";

const FIXTURE = new URL("../fixtures/repos/cli-tool", import.meta.url).pathname;
const KEY = "sk-ant-cli-test";

const jobIds: string[] = [];

async function run(args: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ...process.env, ...env }, cwd: process.cwd() });
  const job = /"jobId":"([\w-]+)"/.exec(stdout)?.[1];
  if (job) jobIds.push(job);
  return { code, stdout, stderr };
}

describe("codegen run", () => {
  let dir: string;
  let anthropic: AnthropicStandIn;
  const git = async (...args: string[]) => (await runGit(args, { cwd: dir })).toString("utf8").trim();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "codegen-cli-test-"));
    await cp(FIXTURE, dir, { recursive: true });
    await git("init", "-q", "-b", "main");
    await git("add", "-A");
    await git("commit", "-q", "-m", "initial");
    anthropic = await startAnthropicStandIn({ apiKey: KEY });
  });

  afterEach(async () => {
    expect(await leftoverContainers(jobIds)).toEqual([]);
    await anthropic.close();
    await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: anthropic.url, CODEGEN_MODEL: "claude-haiku-4-5" });

  test("fails then fixes, and leaves the change as a commit on a new local branch", async () => {
    anthropic.script(...breakThenFix());
    const headBefore = await git("rev-parse", "HEAD");
    const { code, stdout } = await run(["run", "--repo", dir, "--task", "add a --verbose flag to the CLI", "--json"], env());
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      status: "succeeded",
      branch: "codegen/local-add-a-verbose-flag-to-the-cli",
      iterations: 2,
      tier: expect.stringMatching(/^(low|low-medium|medium)$/),
      tests: { before: { passed: true, command: "npm test" }, after: { passed: true } },
    });
    expect(report.usage.input + report.usage.cacheRead + report.usage.cacheWrite).toBeGreaterThan(0);
    expect(code).toBe(0);
    // The user's checkout is untouched; the branch holds the fix.
    expect(await git("rev-parse", "HEAD")).toBe(headBefore);
    expect(await git("status", "--porcelain")).toBe("");
    expect(await readFile(join(dir, "src/cli.js"), "utf8")).not.toContain("verbose");
    const onBranch = await git("show", `${report.branch}:src/cli.js`);
    expect(onBranch).toContain("options.verbose = true");
    expect(onBranch).toContain("argv[++i]");
  });

  test("a give-up exits non-zero with the reason and creates no branch", async () => {
    // The model answers twice without touching a file (the harness nudges it once in between).
    anthropic.script(message({ content: "I am not sure what to change." }), message({ content: "Still not sure." }));
    const { code, stdout } = await run(["run", "--repo", dir, "--task", "do something vague", "--json"], env());
    const report = JSON.parse(stdout);
    expect(report.status).toBe("failed");
    expect(report.reason).toContain("did not change any file");
    expect(report.branch).toBeNull();
    expect(code).toBe(1);
    expect(await git("branch", "--list", "codegen/*")).toBe("");
  });

  test("the committed AGENTS.md goes to the model, not an uncommitted edit of it", async () => {
    await writeFile(join(dir, "AGENTS.md"), "Keep the CLI dependency-free.\n");
    await git("add", "AGENTS.md");
    await git("commit", "-q", "-m", "conventions");
    await writeFile(join(dir, "AGENTS.md"), "An edit nobody committed.\n");
    anthropic.script(message({ content: "I am not sure what to change." }), message({ content: "Still not sure." }));
    await run(["run", "--repo", dir, "--task", "do something vague", "--json"], env());
    const system = JSON.stringify(anthropic.requests[0]?.body?.system);
    expect(system).toContain("Keep the CLI dependency-free.");
    expect(system).not.toContain("An edit nobody committed.");
  });

  test("--base shows the model the branch's commits since it left the base, not uncommitted work", async () => {
    await git("checkout", "-q", "-b", "feature");
    const cli = await readFile(join(dir, "src/cli.js"), "utf8");
    await writeFile(join(dir, "src/cli.js"), cli.replace("return `Hello, ${options.name}!`", "return `Hi, ${options.name}!`"));
    await git("commit", "-q", "-am", "greet with Hi");
    await writeFile(join(dir, "README.md"), "An edit nobody committed.\n");
    anthropic.script(message({ content: "I am not sure what to change." }), message({ content: "Still not sure." }));
    await run(["run", "--repo", dir, "--task", "also greet in French", "--base", "main", "--json"], env());
    const first = JSON.stringify((anthropic.requests[0]?.body?.messages as unknown[] | undefined)?.[0]);
    expect(first).toContain('<branch_change base=\\"main\\">');
    expect(first).toContain("+  return `Hi, ${options.name}!`");
    expect(first).not.toContain("An edit nobody committed.");
  });

  test("--base that is not a commit is refused before any model call", async () => {
    const { code, stdout } = await run(["run", "--repo", dir, "--task", "add a flag", "--base", "no-such-branch", "--json"], env());
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ status: "refused", reason: expect.stringContaining("--base no-such-branch is not a commit") });
    expect(anthropic.requests).toHaveLength(0);
  });

  test.each([
    [["run", "--task", "x y z", "--json"], "--repo: is required"],
    [["run", "--repo", ".", "--json"], "--task: is required"],
    [["run", "--repo", ".", "--task", "x y z", "--bogus"], "Unknown option '--bogus'"],
  ])("bad options are reported: %j", async (args, message) => {
    const { code, stderr } = await run(args, env());
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  test("refuses without an API key", async () => {
    const { code, stdout } = await run(["run", "--repo", dir, "--task", "add a flag", "--json"], { ANTHROPIC_API_KEY: "" });
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ status: "refused", reason: expect.stringContaining("ANTHROPIC_API_KEY") });
  });
});
