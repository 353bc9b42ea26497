import { backoffDelay, sleep, type RetryPolicy } from "../../src/model/backoff.js";

const policy: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 };

describe("backoffDelay", () => {
  it.each([
    // attempt, random, retry-after, expected
    [1, 0, undefined, 500],
    [1, 1, undefined, 1000],
    [2, 0, undefined, 1000],
    [2, 0.5, undefined, 1500],
    [3, 1, undefined, 4000],
    [4, 1, undefined, 5000],
    [9, 0, undefined, 2500],
    [1, 0, 3000, 3000],
    [1, 1, 10, 1000],
    [1, 0, 60_000, 5000],
  ])("attempt %d with random %d and retry-after %s waits %d ms", (attempt, random, retryAfter, expected) => {
    expect(backoffDelay(attempt, policy, retryAfter, () => random)).toBe(expected);
  });

  it("never waits less than half the step, so retries spread but never stampede", () => {
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(2, policy);
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });
});

describe("sleep", () => {
  it("rejects at once when the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
