import { JobBudget } from "../../src/jobs/budget.js";

const limits = { maxIterations: 3, maxTokens: 10_000, maxCostUsd: 1, maxMs: 60_000 };
const usage = (n: number) => ({ inputTokens: n, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

describe("JobBudget", () => {
  test("stops after the maximum number of iterations", () => {
    const budget = new JobBudget(limits, () => 0);
    for (let i = 0; i < 3; i++) {
      expect(budget.iterationStop()).toBeNull();
      budget.startIteration();
      budget.recordFailure(`f${i}`);
    }
    expect(budget.iterationStop()?.kind).toBe("iterations");
    expect(budget.iterationStop()?.message).toContain("after 3 iterations");
  });

  test.each([
    ["tokens", () => { const b = new JobBudget(limits, () => 0); b.recordTurn(usage(10_000), 0); return b; }],
    ["cost", () => { const b = new JobBudget(limits, () => 0); b.recordTurn(usage(1), 1.5); return b; }],
  ])("stops on %s, mid-iteration too", (kind, make) => {
    const budget = make();
    expect(budget.spendingStop()?.kind).toBe(kind);
    expect(budget.iterationStop()?.kind).toBe(kind);
  });

  test("stops on wall-clock time", () => {
    let now = 0;
    const budget = new JobBudget(limits, () => now);
    expect(budget.spendingStop()).toBeNull();
    now = 60_000;
    expect(budget.spendingStop()?.message).toBe("ran for 60 s, the limit is 60 s");
  });

  test("stops when the same failure repeats twice in a row, not when failures differ", () => {
    const budget = new JobBudget({ ...limits, maxIterations: 10 }, () => 0);
    budget.recordFailure("a");
    budget.recordFailure("b");
    expect(budget.iterationStop()).toBeNull();
    budget.recordFailure("b");
    expect(budget.iterationStop()?.kind).toBe("repeated-failure");
  });

  test("adds usage across turns and describes what was spent", () => {
    const budget = new JobBudget(limits, () => 2_000);
    budget.recordTurn({ inputTokens: 10, outputTokens: 5, cacheReadTokens: 100, cacheWriteTokens: 20 }, 0.01);
    budget.recordTurn({ inputTokens: 1, outputTokens: 1, cacheReadTokens: 1, cacheWriteTokens: 1 }, 0.02);
    budget.startIteration();
    expect(budget.usage).toEqual({ inputTokens: 11, outputTokens: 6, cacheReadTokens: 101, cacheWriteTokens: 21 });
    expect(budget.totalTokens).toBe(139);
    expect(budget.describeSpent()).toBe("1 iteration, 139 tokens, $0.0300, 0 s");
  });
});
