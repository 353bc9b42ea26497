import type { CommandResult } from "../../src/sandbox/types.js";
import { compareWithBaseline, failureKey, type BaselineVerdict } from "../../src/verify/compare-with-baseline.js";
import { parseTestOutput } from "../../src/verify/parse-test-output.js";
import { fixtureReport, fixtureResult } from "./helpers.js";

const jestCart = ["cart > applyDiscount > takes 10 percent off", "cart > parsePrice parses decimals", "cart > summary describes the cart", "cart > loads remote prices"];
const mochaCart = ["cart > parsePrice parses decimals", "cart > summary describes the cart", "cart > loads remote prices", "cart > applyDiscount > takes 10 percent off"];
const goCart = ["example.com/shop/cart.TestApplyDiscount", "example.com/shop/cart.TestParsePrice/decimal", "example.com/shop/cart.TestParsePrice/empty"];

interface Row {
  name: string;
  baseline: string;
  after: string;
  afterOverrides?: Partial<CommandResult>;
  verdict: BaselineVerdict;
  basis: "tests" | "exit-code";
  newFailures: string[];
  fixed: string[];
  stillFailing: string[];
  unattributed?: string[];
  notes?: RegExp[];
}

const rows: Row[] = [
  { name: "the change fixes every failure", baseline: "jest/failing.txt", after: "jest/passing.txt", verdict: "passed", basis: "tests", newFailures: [], fixed: jestCart, stillFailing: [], notes: [/Fewer tests ran after the change \(9 before, 3 after\)/, /4 test\(s\) already failed before the change/] },
  { name: "the change breaks passing tests", baseline: "jest/passing.txt", after: "jest/failing.txt", verdict: "new-failures", basis: "tests", newFailures: jestCart, fixed: [], stillFailing: [] },
  { name: "the same failures before and after are pre-existing, not new", baseline: "jest/failing.txt", after: "jest/failing-npm-test.txt", verdict: "no-new-failures", basis: "tests", newFailures: [], fixed: [], stillFailing: jestCart, notes: [/ran `npx jest` and the change ran `npm test`/] },
  { name: "same tests on another runner version", baseline: "mocha/failing.txt", after: "mocha/failing-mocha12-node20.txt", verdict: "no-new-failures", basis: "tests", newFailures: [], fixed: [], stillFailing: mochaCart },
  {
    name: "a test file that stops loading hides its old failures instead of fixing them",
    baseline: "jest/failing.txt",
    after: "jest/syntax-error.txt",
    verdict: "new-failures",
    basis: "tests",
    newFailures: ["Test suite failed to run"],
    fixed: [],
    stillFailing: [],
    notes: [/4 test\(s\) that failed before the change could not run after it/],
  },
  { name: "a pytest collection error stops the whole run", baseline: "pytest/failing.txt", after: "pytest/collection-error.txt", verdict: "new-failures", basis: "tests", newFailures: ["tests/test_cart.py"], fixed: [], stillFailing: [] },
  { name: "mocha aborts on a file that does not load", baseline: "mocha/failing.txt", after: "mocha/syntax-error.txt", verdict: "new-failures", basis: "tests", newFailures: ["Exception during run"], fixed: [], stillFailing: [] },
  { name: "a Go build failure hides the package's old failures", baseline: "go/failing.txt", after: "go/compile-error.txt", verdict: "new-failures", basis: "tests", newFailures: ["example.com/shop/cart [build failed]"], fixed: [], stillFailing: [] },
  { name: "a Go panic is a new failure; tests gone from the output count as fixed", baseline: "go/failing.txt", after: "go/panic.txt", verdict: "new-failures", basis: "tests", newFailures: ["example.com/shop/cart.TestLookup"], fixed: goCart, stillFailing: [] },
  {
    name: "an unparseable failing baseline cannot attribute later failures",
    baseline: "mocha/crash.txt",
    after: "mocha/failing.txt",
    verdict: "inconclusive",
    basis: "exit-code",
    newFailures: [],
    fixed: [],
    stillFailing: [],
    unattributed: mochaCart,
    notes: [/baseline run exited with code 3 and its output could not be parsed/],
  },
  { name: "an unparseable failing baseline and a passing change", baseline: "mocha/crash.txt", after: "mocha/passing.txt", verdict: "passed", basis: "exit-code", newFailures: [], fixed: [], stillFailing: [] },
  { name: "a passing baseline and an unparseable crash after the change", baseline: "mocha/passing.txt", after: "mocha/crash.txt", verdict: "new-failures", basis: "exit-code", newFailures: ["(test command exited with code 3)"], fixed: [], stillFailing: [] },
  { name: "both unparseable", baseline: "mocha/crash.txt", after: "mocha/crash.txt", verdict: "inconclusive", basis: "exit-code", newFailures: [], fixed: [], stillFailing: [], unattributed: ["(test command exited with code 3)"] },
  {
    name: "a run that now times out is a new failure, with what it printed before the kill",
    baseline: "jest/passing.txt",
    after: "jest/timeout-killed.txt",
    verdict: "new-failures",
    basis: "tests",
    newFailures: ["cart > takes 10 percent off", "(test command timed out)"],
    fixed: [],
    stillFailing: [],
  },
  { name: "a baseline that timed out without output", baseline: "vitest/timeout-killed.txt", after: "vitest/failing.txt", verdict: "inconclusive", basis: "exit-code", newFailures: [], fixed: [], stillFailing: [], unattributed: jestCart, notes: [/baseline run timed out/] },
  { name: "both timed out", baseline: "vitest/timeout-killed.txt", after: "vitest/timeout-killed.txt", verdict: "inconclusive", basis: "exit-code", newFailures: [], fixed: [], stillFailing: [], unattributed: ["(test command timed out)"] },
  {
    name: "a baseline cut short cannot vouch for failures it never reached",
    baseline: "jest/timeout-killed.txt",
    after: "jest/failing.txt",
    verdict: "inconclusive",
    basis: "tests",
    newFailures: [],
    fixed: [],
    stillFailing: [],
    unattributed: jestCart,
    notes: [/may not list every test that already failed/],
  },
  {
    name: "exit code 0 does not hide failures the output shows (e.g. `|| true`)",
    baseline: "jest/passing.txt",
    after: "jest/failing.txt",
    afterOverrides: { exitCode: 0 },
    verdict: "new-failures",
    basis: "tests",
    newFailures: jestCart,
    fixed: [],
    stillFailing: [],
  },
  { name: "pytest, same failures on another pytest version", baseline: "pytest/failing.txt", after: "pytest/failing-pytest9-host.txt", verdict: "no-new-failures", basis: "tests", newFailures: [], fixed: [], stillFailing: [
    "tests/test_cart.py::TestTotal::test_counts_fractional_quantities",
    "tests/test_cart.py::test_apply_discount_takes_ten_percent_off",
    "tests/test_cart.py::test_parse_price_parses_decimals",
    "tests/test_cart.py::test_summary_describes_the_cart",
    "tests/test_cart.py::test_parse_price_values[1.5-1.5]",
    "tests/test_cart.py::test_catalog_lookup",
  ] },
];

describe("compareWithBaseline", () => {
  test.each(rows)("$name", (row) => {
    const baseline = fixtureReport(row.baseline);
    const after = fixtureReport(row.after, row.afterOverrides);
    const result = compareWithBaseline(baseline, after);
    expect(result.verdict).toBe(row.verdict);
    expect(result.basis).toBe(row.basis);
    expect(result.newFailures.map((f) => f.name)).toEqual(row.newFailures);
    expect(result.fixed.map((f) => f.name)).toEqual(row.fixed);
    expect(result.stillFailing.map((f) => f.name)).toEqual(row.stillFailing);
    expect(result.unattributed.map((f) => f.name)).toEqual(row.unattributed ?? []);
    expect(result.preExisting).toEqual(baseline.failures);
    for (const note of row.notes ?? []) expect(result.notes.join("\n")).toMatch(note);
    // "new-failures" always names at least one failure, so the report to the model is never empty.
    if (result.verdict === "new-failures") expect(result.newFailures.length).toBeGreaterThan(0);
  });

  test("failures are matched by file and name, so equal names in different files stay apart", () => {
    expect(failureKey({ name: "adds", file: "a.test.js" })).not.toBe(failureKey({ name: "adds", file: "b.test.js" }));
    expect(failureKey({ name: "cart  >  adds\n" })).toBe(failureKey({ name: "cart > adds" }));
  });

  test("a report whose command was renamed still compares by test", () => {
    const baseline = fixtureReport("go/failing.txt");
    const after = parseTestOutput("go test -count=1 ./...", fixtureResult("go/failing-verbose.txt"));
    const result = compareWithBaseline(baseline, after);
    expect(result.verdict).toBe("no-new-failures");
    expect(result.stillFailing.map((f) => f.name)).toEqual(goCart);
  });
});
