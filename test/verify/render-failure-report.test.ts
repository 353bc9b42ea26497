import { compareWithBaseline } from "../../src/verify/compare-with-baseline.js";
import { estimateTokens, renderFailureReport } from "../../src/verify/render-failure-report.js";
import { fixtureReport, manifest, RUNNER_DIRS } from "./helpers.js";

const failingIds = RUNNER_DIRS.flatMap((runner) => manifest(runner).filter((c) => c.exitCode !== 0).map((c) => `${runner}/${c.file}`));

describe("renderFailureReport", () => {
  const caps = [12, 60, 200, 600, 3000];
  test.each(failingIds)("%s stays within every token cap", (id) => {
    const report = fixtureReport(id);
    for (const maxTokens of caps) {
      const text = renderFailureReport(report, { maxTokens });
      expect(estimateTokens(text)).toBeLessThanOrEqual(maxTokens);
    }
    // With room, every failing test is named and the raw tail is only there when parsing found nothing.
    const roomy = renderFailureReport(report, { maxTokens: 20_000 });
    for (const failure of report.failures) expect(roomy).toContain(failure.name);
    if (report.failures.length === 0) expect(roomy).toContain("No failing test could be read from the output");
    else expect(roomy).not.toContain("No failing test could be read");
  });

  test("a failure shows its name, file, message with expected and received, and repository frames", () => {
    const text = renderFailureReport(fixtureReport("jest/failing.txt"), { maxTokens: 2000 });
    expect(text).toContain("`npx jest` failed (exit code 1): 4 failed, 3 passed, 2 skipped, 9 total.");
    expect(text).toContain("● cart > parsePrice parses decimals (test/cart.test.js)");
    expect(text).toContain("  TypeError: invalid price: 2.50\n  at src/cart.js:15:11 in parsePrice\n  at test/cart.test.js:21:12");
    expect(text).toContain("  Expected: 90\n  Received: 0");
    expect(text).not.toMatch(/node_modules|jest-circus/);
  });

  test("when the cap is tight, later failures are counted rather than silently dropped", () => {
    const text = renderFailureReport(fixtureReport("pytest/failing.txt"), { maxTokens: 150 });
    expect(text).toMatch(/… \d+ more failing test\(s\) not shown/);
    expect(text).toContain("tests/test_cart.py::TestTotal::test_counts_fractional_quantities");
  });

  test("with nothing parsed, the end of the raw output is shown (where runners print the error)", () => {
    const report = fixtureReport("mocha/crash.txt");
    const text = renderFailureReport(report, { maxTokens: 400 });
    expect(text).toContain("`npx mocha` failed (exit code 3).");
    expect(text).toContain("✔ sums price times quantity");
  });

  test("a long raw tail is cut from the top, keeping its last lines", () => {
    const report = { ...fixtureReport("mocha/crash.txt"), rawTail: Array.from({ length: 200 }, (_, i) => `line ${i}`).join("\n") };
    const text = renderFailureReport(report, { maxTokens: 100 });
    expect(estimateTokens(text)).toBeLessThanOrEqual(100);
    expect(text).toContain("line 199");
    expect(text).not.toContain("line 0\n");
  });

  test("timeouts and truncation are said up front", () => {
    const killed = renderFailureReport(fixtureReport("jest/timeout-killed.txt"), { maxTokens: 500 });
    expect(killed.split("\n")[0]).toBe("`npx jest` timed out.");
    const truncated = renderFailureReport(fixtureReport("go/failing.txt", { truncated: true }), { maxTokens: 500 });
    expect(truncated).toContain("hit the size limit and was cut off");
  });

  test("with a baseline comparison, new failures come first and old ones are labelled", () => {
    const baseline = fixtureReport("go/failing.txt");
    const after = fixtureReport("go/panic.txt");
    // Pretend the panic run also still had one old failure, to see both kinds in one report.
    after.failures.push(baseline.failures[0]);
    const comparison = compareWithBaseline(baseline, after);
    const text = renderFailureReport(after, { maxTokens: 2000, comparison });
    const newAt = text.indexOf("● example.com/shop/cart.TestLookup [new]");
    const oldAt = text.indexOf("● example.com/shop/cart.TestApplyDiscount [failed before your change too]");
    expect(newAt).toBeGreaterThan(0);
    expect(oldAt).toBeGreaterThan(newAt);
  });

  test("a custom token counter is honoured", () => {
    const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length;
    const text = renderFailureReport(fixtureReport("vitest/failing.txt"), { maxTokens: 40, countTokens: countWords });
    expect(countWords(text)).toBeLessThanOrEqual(40);
    expect(text).toContain("cart > applyDiscount > takes 10 percent off");
  });

  test("a passing run renders one line", () => {
    expect(renderFailureReport(fixtureReport("go/passing.txt"), { maxTokens: 100 })).toBe("`go test ./...` passed.");
  });

  test("a cap of zero gives an empty string rather than an overrun", () => {
    expect(renderFailureReport(fixtureReport("jest/failing.txt"), { maxTokens: 0 })).toBe("");
  });
});
