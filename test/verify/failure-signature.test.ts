import { failureSignature, normaliseForSignature } from "../../src/verify/failure-signature.js";
import { fixtureReport } from "./helpers.js";

describe("failureSignature", () => {
  test.each([
    ["jest/failing.txt", "jest/failing-jest29-node20.txt"],
    ["jest/failing.txt", "jest/failing-npm-test.txt"],
    ["vitest/failing.txt", "vitest/failing-vitest4-node20.txt"],
    ["mocha/failing.txt", "mocha/failing-mocha12-node20.txt"],
    ["node-test/failing-default-node18.txt", "node-test/failing-default-node20.txt"],
    ["pytest/failing.txt", "pytest/failing-quiet.txt"],
    ["go/failing.txt", "go/failing-verbose.txt"],
    ["go/panic.txt", "go/panic-verbose.txt"],
  ])("the same failure captured twice (%s, %s) has one signature", (a, b) => {
    expect(failureSignature(fixtureReport(a))).toBe(failureSignature(fixtureReport(b)));
  });

  test.each([
    ["jest/failing.txt", "jest/syntax-error.txt"],
    ["jest/failing.txt", "jest/timeout-killed.txt"],
    ["go/failing.txt", "go/panic.txt"],
    ["pytest/failing.txt", "pytest/collection-error.txt"],
    ["mocha/crash.txt", "mocha/passing.txt"],
  ])("different failures (%s, %s) have different signatures", (a, b) => {
    expect(failureSignature(fixtureReport(a))).not.toBe(failureSignature(fixtureReport(b)));
  });

  test("a changed assertion value is progress, not a repeat", () => {
    const report = fixtureReport("jest/failing.txt");
    const moved = { ...report, failures: report.failures.map((f) => ({ ...f, message: f.message.replace("Received: 0", "Received: 45") })) };
    expect(failureSignature(moved)).not.toBe(failureSignature(report));
  });

  test("order of failures, frames and line numbers do not matter", () => {
    const report = fixtureReport("vitest/failing.txt");
    const shuffled = { ...report, failures: [...report.failures].reverse().map((f) => ({ ...f, frames: [] })) };
    expect(failureSignature(shuffled)).toBe(failureSignature(report));
  });

  test("without parsed failures the exit status and normalised tail decide", () => {
    const report = fixtureReport("mocha/crash.txt");
    expect(failureSignature(report)).toContain("exit 3");
    expect(failureSignature({ ...report, exitCode: 1 })).not.toBe(failureSignature(report));
    const slower = { ...report, rawTail: report.rawTail.replace("✔ sums price times quantity", "✔ sums price times quantity (12ms)") };
    const faster = { ...report, rawTail: report.rawTail.replace("✔ sums price times quantity", "✔ sums price times quantity (3ms)") };
    expect(failureSignature(slower)).toBe(failureSignature(faster));
  });

  test("passing runs share one signature", () => {
    expect(failureSignature(fixtureReport("jest/passing.txt"))).toBe("passed");
  });

  test.each([
    ["at test/cart.test.js:16:38", "at test/cart.test.js:<n>"],
    ["goroutine 19 [running]: addr=0x0 pc=0x4f51b6", "goroutine ? [running]: addr=0x? pc=0x?"],
    ["self = <test_cart.TestTotal object at 0x7f0805a33050>", "self = <test_cart.TestTotal object at 0x?>"],
    ["Exceeded timeout of 200 ms, took 1.5s (0.00s)", "Exceeded timeout of <duration>, took <duration> (<duration>)"],
    ['File "/workspace/tests/test_cart.py", line 5', 'File "/workspace/tests/test_cart.py", line <n>'],
    ["wrote /tmp/jest_rs/cache-123 at 13:39:30", "wrote /tmp/? at <time>"],
    ["Expected: 90  Received: 0", "Expected: 90 Received: 0"],
  ])("normalises %j", (input, expected) => {
    expect(normaliseForSignature(input)).toBe(expected);
  });
});
