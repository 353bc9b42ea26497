import type { ModelUsage } from "../model/types.js";
import { addUsage, emptyUsage } from "../model/types.js";

export interface BudgetLimits {
  maxIterations: number;
  maxTokens: number;
  maxCostUsd: number;
  maxMs: number;
}

export type StopReason =
  | { kind: "iterations"; message: string }
  | { kind: "tokens"; message: string }
  | { kind: "cost"; message: string }
  | { kind: "time"; message: string }
  | { kind: "repeated-failure"; message: string };

/**
 * What a job has spent, and whether it must stop. Pure bookkeeping: the loop asks `shouldStop()`
 * before each model turn and each iteration.
 */
export class JobBudget {
  readonly limits: BudgetLimits;
  readonly #now: () => number;
  readonly #startedAt: number;
  #usage: ModelUsage = emptyUsage();
  #costUsd = 0;
  #iterations = 0;
  #failureSignatures: string[] = [];

  constructor(limits: BudgetLimits, now: () => number = Date.now) {
    this.limits = limits;
    this.#now = now;
    this.#startedAt = now();
  }

  get usage(): ModelUsage {
    return this.#usage;
  }
  get costUsd(): number {
    return this.#costUsd;
  }
  get iterations(): number {
    return this.#iterations;
  }
  get totalTokens(): number {
    const u = this.#usage;
    return u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens;
  }
  get elapsedMs(): number {
    return this.#now() - this.#startedAt;
  }

  recordTurn(usage: ModelUsage, costUsd: number): void {
    this.#usage = addUsage(this.#usage, usage);
    this.#costUsd += costUsd;
  }

  startIteration(): number {
    return ++this.#iterations;
  }

  /** Record a failing test run's signature; two identical signatures in a row mean the loop is stuck. */
  recordFailure(signature: string): void {
    this.#failureSignatures.push(signature);
  }

  /** Checks limits that can be exceeded in the middle of an iteration (tokens, cost, time). */
  spendingStop(): StopReason | null {
    const { maxTokens, maxCostUsd, maxMs } = this.limits;
    if (this.totalTokens >= maxTokens) {
      return { kind: "tokens", message: `used ${this.totalTokens.toLocaleString("en-US")} tokens, the limit is ${maxTokens.toLocaleString("en-US")}` };
    }
    if (this.#costUsd >= maxCostUsd) {
      return { kind: "cost", message: `spent $${this.#costUsd.toFixed(2)}, the limit is $${maxCostUsd.toFixed(2)}` };
    }
    if (this.elapsedMs >= maxMs) {
      return { kind: "time", message: `ran for ${Math.round(this.elapsedMs / 1000)} s, the limit is ${Math.round(maxMs / 1000)} s` };
    }
    return null;
  }

  /** Checks every limit before starting another iteration. */
  iterationStop(): StopReason | null {
    const spending = this.spendingStop();
    if (spending) return spending;
    const sigs = this.#failureSignatures;
    if (sigs.length >= 2 && sigs[sigs.length - 1] === sigs[sigs.length - 2]) {
      return { kind: "repeated-failure", message: "the same test failure came back twice in a row, so another attempt is unlikely to help" };
    }
    if (this.#iterations >= this.limits.maxIterations) {
      return { kind: "iterations", message: `the tests still fail after ${this.#iterations} iteration${this.#iterations === 1 ? "" : "s"} (the limit)` };
    }
    return null;
  }

  describeSpent(): string {
    return `${this.#iterations} iteration${this.#iterations === 1 ? "" : "s"}, ${this.totalTokens.toLocaleString("en-US")} tokens, $${this.#costUsd.toFixed(4)}, ${Math.round(this.elapsedMs / 1000)} s`;
  }
}
