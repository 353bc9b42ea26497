import { taskAllowsTestChanges } from "../../../src/verify/tamper/task-permission.js";
import type { TamperKind } from "../../../src/verify/tamper/types.js";

describe("taskAllowsTestChanges", () => {
  test.each<[string, TamperKind]>([
    ["Remove the obsolete tests for the v1 API", "deleted-test-file"],
    ["Delete test/legacy.test.js, the legacy module is gone", "deleted-test-file"],
    ["The v1 tests are obsolete and should be removed.", "removed-test"],
    ["Skip the flaky upload test until S3 is back", "skipped-test"],
    ["Please mark the slow e2e tests as skipped on CI", "skipped-test"],
    ["Quarantine test_payment_retry, it is flaky", "skipped-test"],
    ["Update the snapshots after the header redesign", "modified-snapshot"],
    ["Rewrite the cart tests to use the new fixtures", "weakened-assertion"],
    ["Relax the assertions in test_totals so rounding differences pass", "weakened-assertion"],
    ["Change the test command to run only unit tests", "narrowed-test-command"],
    ["Exclude the integration tests from the jest config", "modified-test-config"],
  ])("%j allows %s", (task, kind) => {
    expect(taskAllowsTestChanges(task, kind)).toBe(true);
    expect(taskAllowsTestChanges(task)).toBe(true);
  });

  test.each<[string, TamperKind]>([
    ["Fix the failing cart tests", "weakened-assertion"],
    ["Fix the failing cart tests", "skipped-test"],
    ["Make the tests pass", "deleted-test-file"],
    ["Do not delete any tests while fixing the discount bug", "deleted-test-file"],
    ["Fix applyDiscount; the tests must not be removed", "removed-test"],
    ["Don't skip tests, fix the code", "skipped-test"],
    ["Remove the deprecated helper from src/cart.js", "deleted-test-file"],
    ["Update the README", "modified-snapshot"],
    ["Skip the flaky upload test", "deleted-test-file"],
    ["Update the snapshots", "weakened-assertion"],
  ])("%j does not allow %s", (task, kind) => {
    expect(taskAllowsTestChanges(task, kind)).toBe(false);
  });

  test("a task about code alone allows no test change at all", () => {
    expect(taskAllowsTestChanges("Fix the discount calculation in applyDiscount (divides by 10 instead of 100)")).toBe(false);
  });
});
