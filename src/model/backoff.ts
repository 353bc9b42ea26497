/**
 * The job-level retry policy around a whole model turn (the SDK retries single HTTP requests on its
 * own; this covers what it gives up on, plus failures in the middle of a stream).
 */
export interface RetryPolicy {
  /** Total attempts of a turn, the first included. */
  attempts: number;
  /** Delay before the second attempt; it doubles for each further attempt. */
  baseDelayMs: number;
  /** Upper bound for one delay, also for a retry-after the API asks for. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 3, baseDelayMs: 2_000, maxDelayMs: 60_000 };

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half is random, so concurrent jobs
 * spread out but never retry immediately. A retry-after from the API raises the delay (up to the cap).
 * `attempt` is the attempt that just failed, from 1.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = step / 2 + random() * (step / 2);
  const wanted = retryAfterMs !== undefined ? Math.max(jittered, retryAfterMs) : jittered;
  return Math.round(Math.min(policy.maxDelayMs, wanted));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
