import { renderPullRequestBody, type PullRequestBodyInput } from "../../src/github/pr-body.js";
import type { TestReport } from "../../src/verify/types.js";

const report = (passed: boolean, counts: TestReport["counts"]): TestReport => ({
  command: "npm test", exitCode: passed ? 0 : 1, passed, timedOut: false, truncated: false, durationMs: 10,
  framework: "jest", counts, failures: [], rawTail: "",
});

const base: PullRequestBodyInput = {
  issueNumber: 4,
  task: "add a --verbose flag",
  summary: "Added the flag and a test.",
  changedFiles: [{ path: "src/cli.js", status: "modified", additions: 3, deletions: 1 }],
  before: report(false, { passed: 1, failed: 1, skipped: 0, total: 2 }),
  after: report(true, { passed: 3, failed: 0, skipped: 0, total: 3 }),
  iterations: 2,
  usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 5000, cacheWriteTokens: 800 },
  costUsd: 0.0123,
  model: "claude-sonnet-4-5",
  sections: [{ title: "Risk: low", body: "table" }, { title: "Context", body: "files", collapsed: true }],
  jobId: "j1",
};

describe("renderPullRequestBody", () => {
  test("links the issue and reports what changed, tests before and after, iterations and tokens", () => {
    const body = renderPullRequestBody(base);
    expect(body).toContain("Resolves #4.");
    expect(body).toContain("| `src/cli.js` | modified (+3 −1) |");
    expect(body).toMatch(/Before \(base branch\) \| ❌ fail \(exit 1\): 1 passed, 1 failed/);
    expect(body).toMatch(/After \(this change\) \| ✅ pass: 3 passed, 0 failed/);
    expect(body).toContain("**Iterations:** 2");
    expect(body).toContain("7,000 (input 1,000, output 200, cache read 5,000, cache write 800)");
    expect(body).toContain("$0.0123");
    expect(body).toContain("## Risk: low");
    expect(body).toContain("<details><summary>Context</summary>");
  });

  test("a failing draft says so before anything else", () => {
    const body = renderPullRequestBody({ ...base, failing: { reason: "tests still fail", lastFailure: "boom" } });
    expect(body.split("\n")[0]).toContain("[!WARNING]");
    expect(body).toContain("This change does not pass.");
    expect(body).toContain("boom");
  });
});
