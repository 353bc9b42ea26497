import { readFileSync } from "node:fs";
import { parseTestOutput } from "../../src/verify/parse-test-output.js";
import { selectParser } from "../../src/verify/parsers/index.js";
import type { TestFramework } from "../../src/verify/types.js";
import { FIXTURES, fixtureCase, fixtureReport, fixtureResult, manifest, RUNNER_DIRS } from "./helpers.js";

interface ExpectedFailure {
  name: string;
  file?: string;
  /** Substrings the message must contain. */
  message: string[];
  frames: string[];
}

interface Row {
  id: string;
  framework: TestFramework;
  counts: { passed: number; failed: number; skipped: number; total: number } | null;
  failures: ExpectedFailure[];
}

// The suites (test/fixtures/test-output/suites) test one cart module with the same bugs in every runner:
// applyDiscount divides by 10, parsePrice rejects decimals, summary says EUR, one test never resolves.
const jestFailures: ExpectedFailure[] = [
  { name: "cart > applyDiscount > takes 10 percent off", file: "test/cart.test.js", message: ["toBe(expected)", "Expected: 90", "Received: 0"], frames: ["test/cart.test.js:16:38"] },
  { name: "cart > parsePrice parses decimals", file: "test/cart.test.js", message: ["TypeError: invalid price: 2.50"], frames: ["src/cart.js:15:11 in parsePrice", "test/cart.test.js:21:12"] },
  { name: "cart > summary describes the cart", file: "test/cart.test.js", message: ['-   "currency": "USD"', '+   "currency": "EUR"'], frames: ["test/cart.test.js:25:45"] },
  { name: "cart > loads remote prices", file: "test/cart.test.js", message: ["Exceeded timeout of 200 ms"], frames: ["test/cart.test.js:28:3 in test", "test/cart.test.js:3:1"] },
];

const vitestFailures = (parseFrame: string, timeoutFrame: string): ExpectedFailure[] => [
  { name: "cart > applyDiscount > takes 10 percent off", file: "test/cart.test.js", message: ["expected +0 to be 90", "- 90", "+ 0"], frames: ["test/cart.test.js:17:38"] },
  { name: "cart > parsePrice parses decimals", file: "test/cart.test.js", message: ["TypeError: invalid price: 2.50"], frames: ["src/cart.js:15:11 in parsePrice", parseFrame] },
  { name: "cart > summary describes the cart", file: "test/cart.test.js", message: ["to deeply equal", '-   "currency": "USD"'], frames: ["test/cart.test.js:26:45"] },
  { name: "cart > loads remote prices", file: "test/cart.test.js", message: ["Test timed out in 200ms"], frames: [timeoutFrame] },
];

const mochaFailures: ExpectedFailure[] = [
  { name: "cart > parsePrice parses decimals", message: ["TypeError: invalid price: 2.50"], frames: ["src/cart.js:15:11 in parsePrice", "test/cart.test.js:22:24"] },
  { name: "cart > summary describes the cart", message: ["strictly deep-equal", "+   currency: 'EUR',", "-   currency: 'USD',"], frames: ["test/cart.test.js:26:12"] },
  { name: "cart > loads remote prices", message: ["Timeout of 200ms exceeded"], frames: ["test/cart.test.js"] },
  { name: "cart > applyDiscount > takes 10 percent off", message: ["strictly equal", "0 !== 90"], frames: ["test/cart.test.js:17:14"] },
];

const nodeFailures = (tap: boolean): ExpectedFailure[] => [
  { name: "cart > applyDiscount > takes 10 percent off", file: "test/cart.test.js", message: ["strictly equal", "0 !== 90"], frames: ["test/cart.test.js:18:14"] },
  { name: "cart > parsePrice parses decimals", file: "test/cart.test.js", message: ["TypeError", "invalid price: 2.50"], frames: ["src/cart.js:15:11 in parsePrice", "test/cart.test.js:23:24"] },
  { name: "cart > summary describes the cart", file: "test/cart.test.js", message: ["strictly deep-equal", "-   currency: 'USD',"], frames: ["test/cart.test.js:27:12"] },
  // The never-resolving promise is cancelled when the event loop empties; TAP gives its location, spec does not.
  { name: "cart > loads remote prices", file: "test/cart.test.js", message: ["Promise resolution is still pending"], frames: tap ? ["test/cart.test.js:30:3"] : [] },
];

const pytestFailures: ExpectedFailure[] = [
  { name: "tests/test_cart.py::TestTotal::test_counts_fractional_quantities", file: "tests/test_cart.py", message: ["assert 1.5 == 1", "where 1.5 = total("], frames: ["tests/test_cart.py:14"] },
  { name: "tests/test_cart.py::test_apply_discount_takes_ten_percent_off", file: "tests/test_cart.py", message: ["assert 0.0 == 90"], frames: ["tests/test_cart.py:18"] },
  { name: "tests/test_cart.py::test_parse_price_parses_decimals", file: "tests/test_cart.py", message: ["ValueError: invalid price: 2.50"], frames: ["shop/cart.py:18", "tests/test_cart.py:22"] },
  { name: "tests/test_cart.py::test_summary_describes_the_cart", file: "tests/test_cart.py", message: ["Differing items:", "{'currency': 'EUR'} != {'currency': 'USD'}"], frames: ["tests/test_cart.py:26"] },
  { name: "tests/test_cart.py::test_parse_price_values[1.5-1.5]", file: "tests/test_cart.py", message: ["ValueError: invalid price: 1.5"], frames: ["shop/cart.py:18", "tests/test_cart.py:31"] },
  { name: "tests/test_cart.py::test_catalog_lookup", file: "tests/test_cart.py", message: ["RuntimeError: catalog service unavailable"], frames: ["tests/test_cart.py:41"] },
];

const goFailures: ExpectedFailure[] = [
  { name: "example.com/shop/cart.TestApplyDiscount", message: ["ApplyDiscount(100, 10) = 0, want 90"], frames: ["cart_test.go:15"] },
  { name: "example.com/shop/cart.TestParsePrice/decimal", message: ['ParsePrice("2.50") error: invalid price: "2.50"'], frames: ["cart_test.go:33"] },
  { name: "example.com/shop/cart.TestParsePrice/empty", message: ['ParsePrice("") error'], frames: ["cart_test.go:33"] },
];

const goPanic: ExpectedFailure[] = [
  {
    name: "example.com/shop/cart.TestLookup",
    message: ["panic: runtime error: invalid memory address or nil pointer dereference", "SIGSEGV"],
    frames: ["cart/cart.go:34 in example.com/shop/cart.Lookup", "cart/cart_test.go:14 in example.com/shop/cart.TestLookup"],
  },
];

const failingCounts = { passed: 3, failed: 4, skipped: 2, total: 9 };

const rows: Row[] = [
  // jest
  { id: "jest/failing.txt", framework: "jest", counts: failingCounts, failures: jestFailures },
  { id: "jest/failing-jest29-node20.txt", framework: "jest", counts: failingCounts, failures: jestFailures },
  { id: "jest/failing-npm-test.txt", framework: "jest", counts: failingCounts, failures: jestFailures },
  { id: "jest/passing.txt", framework: "jest", counts: { passed: 2, failed: 0, skipped: 1, total: 3 }, failures: [] },
  {
    id: "jest/syntax-error.txt",
    framework: "jest",
    counts: { passed: 1, failed: 0, skipped: 0, total: 1 },
    failures: [{ name: "Test suite failed to run", file: "test/cart.test.js", message: ["SyntaxError", 'Unexpected token, expected ","'], frames: ["test/cart.test.js:5"] }],
  },
  { id: "jest/crash.txt", framework: "jest", counts: null, failures: [{ name: 'process.exit called with "3"', message: ["process.exit"], frames: ["test/cart.test.js:9:13"] }] },
  { id: "jest/no-tests-found.txt", framework: "jest", counts: null, failures: [{ name: "No tests found", message: ["No tests found, exiting with code 1", "Pattern: nomatch - 0 matches"], frames: [] }] },
  {
    id: "jest/timeout-killed.txt",
    framework: "jest",
    counts: null,
    failures: [{ name: "cart > takes 10 percent off", file: "test/cart.test.js", message: ["Expected: 90", "Received: 0"], frames: ["test/cart.test.js:9:36"] }],
  },
  // vitest
  { id: "vitest/failing.txt", framework: "vitest", counts: failingCounts, failures: vitestFailures("test/cart.test.js:22:22", "test/cart.test.js:29:7") },
  { id: "vitest/failing-vitest4-node20.txt", framework: "vitest", counts: failingCounts, failures: vitestFailures("test/cart.test.js:22:12", "test/cart.test.js:29:3") },
  { id: "vitest/passing.txt", framework: "vitest", counts: { passed: 2, failed: 0, skipped: 1, total: 3 }, failures: [] },
  ...["vitest/syntax-error.txt", "vitest/syntax-error-vitest4-node20.txt"].map((id) => ({
    id,
    framework: "vitest" as const,
    counts: { passed: 1, failed: 0, skipped: 0, total: 1 },
    failures: [{ name: "Test suite failed to run", file: "test/cart.test.js", message: ["Failed to parse source", "vite:import-analysis"], frames: ["test/cart.test.js:1"] }],
  })),
  {
    id: "vitest/crash.txt",
    framework: "vitest",
    counts: { passed: 3, failed: 0, skipped: 0, total: 3 },
    failures: [{ name: "Uncaught Exception", file: "test/cart.test.js", message: ["Error: cache flush failed"], frames: ["test/cart.test.js:11:13 in Timeout._onTimeout"] }],
  },
  { id: "vitest/timeout-killed.txt", framework: "vitest", counts: null, failures: [] },
  // mocha
  { id: "mocha/failing.txt", framework: "mocha", counts: failingCounts, failures: mochaFailures },
  { id: "mocha/failing-mocha12-node20.txt", framework: "mocha", counts: failingCounts, failures: mochaFailures },
  { id: "mocha/failing-npm-test.txt", framework: "mocha", counts: failingCounts, failures: mochaFailures },
  { id: "mocha/passing.txt", framework: "mocha", counts: { passed: 2, failed: 0, skipped: 1, total: 3 }, failures: [] },
  {
    id: "mocha/syntax-error.txt",
    framework: "mocha",
    counts: null,
    failures: [{ name: "Exception during run", file: "test/cart.test.js", message: ["SyntaxError: missing ) after argument list"], frames: ["test/cart.test.js:6"] }],
  },
  { id: "mocha/crash.txt", framework: "mocha", counts: null, failures: [] },
  {
    id: "mocha/hook-failure.txt",
    framework: "mocha",
    counts: { passed: 1, failed: 1, skipped: 0, total: 2 },
    failures: [{ name: 'cart > "before each" hook for "sums price times quantity"', message: ["SyntaxError: Unexpected token n in JSON"], frames: ["test/cart.test.js:7:18"] }],
  },
  // node:test
  { id: "node-test/failing-default-node18.txt", framework: "tap", counts: failingCounts, failures: nodeFailures(true) },
  { id: "node-test/failing-default-node20.txt", framework: "tap", counts: failingCounts, failures: nodeFailures(true) },
  { id: "node-test/failing-spec-node18.txt", framework: "tap", counts: failingCounts, failures: nodeFailures(false) },
  { id: "node-test/failing-spec-node20.txt", framework: "tap", counts: failingCounts, failures: nodeFailures(false) },
  { id: "node-test/passing-tap-node18.txt", framework: "tap", counts: { passed: 2, failed: 0, skipped: 1, total: 3 }, failures: [] },
  { id: "node-test/passing-spec-node20.txt", framework: "tap", counts: { passed: 2, failed: 0, skipped: 1, total: 3 }, failures: [] },
  ...["node-test/syntax-error-tap-node18.txt", "node-test/syntax-error-spec-node20.txt"].map((id) => ({
    id,
    framework: "tap" as const,
    counts: { passed: 1, failed: 1, skipped: 0, total: 2 },
    failures: [{ name: "test/cart.test.js", file: "test/cart.test.js", message: ["test failed", "SyntaxError: missing ) after argument list"], frames: ["test/cart.test.js:7"] }],
  })),
  {
    id: "node-test/crash-tap-node18.txt",
    framework: "tap",
    counts: { passed: 1, failed: 1, skipped: 0, total: 2 },
    failures: [{ name: "test/cart.test.js", file: "test/cart.test.js", message: ["test failed (exit code 3)"], frames: ["test/cart.test.js:1:1"] }],
  },
  {
    id: "node-test/crash-spec-node20.txt",
    framework: "tap",
    counts: { passed: 1, failed: 1, skipped: 0, total: 2 },
    failures: [{ name: "test/cart.test.js", file: "test/cart.test.js", message: ["test failed"], frames: [] }],
  },
  // pytest
  ...["pytest/failing.txt", "pytest/failing-verbose.txt", "pytest/failing-quiet.txt", "pytest/failing-pytest9-host.txt"].map((id) => ({
    id,
    framework: "pytest" as const,
    counts: { passed: 5, failed: 6, skipped: 1, total: 12 },
    failures: pytestFailures,
  })),
  { id: "pytest/passing.txt", framework: "pytest", counts: { passed: 2, failed: 0, skipped: 1, total: 3 }, failures: [] },
  {
    id: "pytest/collection-error.txt",
    framework: "pytest",
    counts: { passed: 0, failed: 1, skipped: 0, total: 1 },
    failures: [{ name: "tests/test_cart.py", file: "tests/test_cart.py", message: ["SyntaxError: '(' was never closed"], frames: ["tests/test_cart.py:5"] }],
  },
  {
    id: "pytest/crash.txt",
    framework: "pytest",
    counts: null,
    failures: [{ name: "tests/test_cart.py::test_native_extension", file: "tests/test_cart.py", message: ["Fatal Python error: Segmentation fault"], frames: ["tests/test_cart.py:11 in test_native_extension"] }],
  },
  // go
  { id: "go/failing.txt", framework: "go", counts: null, failures: goFailures },
  { id: "go/failing-verbose.txt", framework: "go", counts: { passed: 3, failed: 3, skipped: 1, total: 7 }, failures: goFailures },
  { id: "go/passing.txt", framework: "go", counts: null, failures: [] },
  {
    id: "go/compile-error.txt",
    framework: "go",
    counts: null,
    failures: [{ name: "example.com/shop/cart [build failed]", message: ["too many arguments in call to Total", "mismatched types float64 and untyped string"], frames: ["cart/cart_test.go:6:43", "cart/cart_test.go:7:12"] }],
  },
  { id: "go/panic.txt", framework: "go", counts: null, failures: goPanic },
  { id: "go/panic-verbose.txt", framework: "go", counts: { passed: 2, failed: 1, skipped: 0, total: 3 }, failures: goPanic },
  {
    id: "go/test-timeout.txt",
    framework: "go",
    counts: null,
    failures: [{ name: "example.com/shop/cart.TestWaitsForPriceFeed", message: ["panic: test timed out after 3s"], frames: ["cart/cart_test.go:16 in example.com/shop/cart.TestWaitsForPriceFeed"] }],
  },
];

describe("parseTestOutput on captured runner output", () => {
  test("every captured fixture has a row in this table", () => {
    const all = RUNNER_DIRS.flatMap((runner) => manifest(runner).map((c) => `${runner}/${c.file}`));
    expect(rows.map((r) => r.id).sort()).toEqual(all.sort());
  });

  test.each(rows)("$id", ({ id, framework, counts, failures }) => {
    const fixture = fixtureCase(id);
    const report = parseTestOutput(fixture.command, fixtureResult(id));
    expect(report.framework).toBe(framework);
    expect(report.counts).toEqual(counts);
    expect(report.failures.map((f) => f.name)).toEqual(failures.map((f) => f.name));
    failures.forEach((expected, i) => {
      const actual = report.failures[i];
      expect(actual.file).toBe(expected.file);
      for (const part of expected.message) expect(actual.message).toContain(part);
      expect(actual.frames).toEqual(expected.frames);
      // Nothing from dependencies, the runtime or the runner leaks into frames.
      for (const frame of actual.frames) expect(frame).not.toMatch(/node_modules|node:|^\/|_pytest|go-1\.19/);
    });
    expect(report.exitCode).toBe(fixture.exitCode);
    expect(report.passed).toBe(fixture.exitCode === 0);
    expect(report.timedOut).toBe(fixture.timedOut);
    expect(report.command).toBe(fixture.command);
    expect(report.durationMs).toBe(fixture.durationMs);
    // ANSI colour codes are gone from everything the report carries.
    expect(JSON.stringify(report)).not.toMatch(/\\u001b\[/);
  });
});

describe("parseTestOutput details", () => {
  test("the raw tail keeps the end of the output, ANSI stripped, within its limits", () => {
    const report = fixtureReport("vitest/failing.txt");
    expect(report.rawTail).toMatch(/Tests\s+4 failed \| 3 passed \| 1 skipped \| 1 todo \(9\)/);
    expect(report.rawTail).not.toContain("\u001b[");
    const small = parseTestOutput("npx vitest run", fixtureResult("vitest/failing.txt"), { tail: { lines: 5, bytes: 10_000 } });
    expect(small.rawTail.split("\n")).toHaveLength(5);
    const tiny = parseTestOutput("npx vitest run", fixtureResult("vitest/failing.txt"), { tail: { lines: 100, bytes: 120 } });
    expect(Buffer.byteLength(tiny.rawTail)).toBeLessThanOrEqual(120);
    expect(tiny.rawTail).toContain("Duration");
  });

  test("a timed-out, truncated, out-of-memory result carries that through and never passes", () => {
    const report = fixtureReport("jest/failing.txt", { exitCode: 0, timedOut: true, truncated: true, oomKilled: true });
    expect(report).toMatchObject({ passed: false, timedOut: true, truncated: true, oomKilled: true });
  });

  test("output cut at the sandbox's byte cap still yields the failures printed before the cut", () => {
    const full = readFileSync(new URL("pytest/failing.txt", FIXTURES));
    const cut = full.subarray(0, full.indexOf("short test summary info"));
    const report = parseTestOutput("python3 -m pytest", { ...fixtureResult("pytest/failing.txt"), output: cut, stdout: cut, exitCode: null, truncated: true });
    expect(report.truncated).toBe(true);
    expect(report.counts).toBeNull();
    expect(report.failures.map((f) => f.name)).toEqual([
      "tests/test_cart.py::test_catalog_lookup",
      "tests/test_cart.py::TestTotal::test_counts_fractional_quantities",
      "tests/test_cart.py::test_apply_discount_takes_ten_percent_off",
      "tests/test_cart.py::test_parse_price_parses_decimals",
      "tests/test_cart.py::test_summary_describes_the_cart",
      "tests/test_cart.py::test_parse_price_values[1.5-1.5]",
    ]);
  });

  test("the runner is recognised from the output when the command is a wrapper", () => {
    for (const [id, framework] of [
      ["jest/failing.txt", "jest"],
      ["vitest/failing.txt", "vitest"],
      ["mocha/failing.txt", "mocha"],
      ["node-test/failing-spec-node20.txt", "tap"],
      ["pytest/failing-quiet.txt", "pytest"],
      ["go/failing.txt", "go"],
    ] as const) {
      expect(parseTestOutput("make test", fixtureResult(id)).framework).toBe(framework);
    }
  });

  test("the output decides when the command names another runner", () => {
    expect(parseTestOutput("npx jest", fixtureResult("vitest/failing.txt")).framework).toBe("vitest");
  });

  test("with no output the command names the runner; with neither the framework is unknown", () => {
    const empty = { ...fixtureResult("jest/failing.txt"), output: Buffer.alloc(0), stdout: Buffer.alloc(0) };
    expect(parseTestOutput("npx jest --ci", empty).framework).toBe("jest");
    expect(parseTestOutput("python -m pytest -x", empty).framework).toBe("pytest");
    expect(parseTestOutput("node --test test/", empty).framework).toBe("tap");
    const unknown = parseTestOutput("./run-tests.sh", { ...empty, stdout: Buffer.from("3 things went wrong\n") });
    expect(unknown).toMatchObject({ framework: "unknown", failures: [], counts: null, rawTail: "3 things went wrong" });
  });

  test("stdout and stderr are used when the interleaved output is empty", () => {
    const out = readFileSync(new URL("go/failing.txt", FIXTURES));
    const report = parseTestOutput("go test ./...", { ...fixtureResult("go/failing.txt"), output: Buffer.alloc(0), stdout: Buffer.alloc(0), stderr: out });
    expect(report.failures).toHaveLength(3);
  });

  test("a workspace mounted elsewhere is stripped from frames", () => {
    const out = readFileSync(new URL("node-test/failing-default-node20.txt", FIXTURES), "utf8").replaceAll("/workspace/", "/srv/app/");
    const buffer = Buffer.from(out);
    const report = parseTestOutput("node --test", { ...fixtureResult("node-test/failing-default-node20.txt"), output: buffer, stdout: buffer }, { workspaceRoot: "/srv/app" });
    expect(report.failures[1].frames).toEqual(["src/cart.js:15:11 in parsePrice", "test/cart.test.js:23:24"]);
  });

  test("selectParser picks nothing for output no runner claims and a command none runs", () => {
    expect(selectParser("./check.sh", "all good\n")).toBeNull();
  });
});
