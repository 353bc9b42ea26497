import { silentLogger, type Logger } from "../logging/logger.js";
import type { ModelUsage } from "./types.js";

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Writing the 5-minute cache: 1.25 × input. */
  cacheWrite: number;
  /** Reading the cache: 0.1 × input. */
  cacheRead: number;
}

const price = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cacheWrite: input * 1.25,
  cacheRead: input * 0.1,
});

/** Published list prices by model family. Dated ids (`claude-sonnet-4-5-20250929`) match by prefix. */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  "claude-opus-4-6": price(5, 25),
  "claude-sonnet-4-6": price(3, 15),
  "claude-opus-4-5": price(5, 25),
  "claude-opus-4-1": price(15, 75),
  "claude-opus-4": price(15, 75),
  "claude-sonnet-4-5": price(3, 15),
  "claude-sonnet-4": price(3, 15),
  "claude-haiku-4-5": price(1, 5),
  "claude-3-5-haiku": price(0.8, 4),
};

/** An unknown model is priced like the most expensive known one, so budgets still stop the job. */
export const FALLBACK_PRICE: ModelPrice = Object.values(MODEL_PRICES).reduce((max, p) =>
  p.input + p.output > max.input + max.output ? p : max,
);

const warnedUnknown = new Set<string>();

/**
 * The price of a model id: the longest family key that is the whole id or a prefix followed by
 * `-` or `@` (so `claude-opus-4-20250514` is opus-4 but `claude-opus-4-5-20251101` is opus-4-5).
 */
export function priceOf(model: string, log: Logger = silentLogger): { price: ModelPrice; known: boolean } {
  const id = model.trim().toLowerCase();
  let best: string | undefined;
  for (const key of Object.keys(MODEL_PRICES)) {
    const matches = id === key || id.startsWith(`${key}-`) || id.startsWith(`${key}@`);
    if (matches && (best === undefined || key.length > best.length)) best = key;
  }
  if (best !== undefined) return { price: MODEL_PRICES[best], known: true };
  if (!warnedUnknown.has(id)) {
    warnedUnknown.add(id);
    log.warn(
      { model, assumedPrice: FALLBACK_PRICE },
      "unknown model: costs are estimated at the most expensive known price; add it to src/model/pricing.ts",
    );
  }
  return { price: FALLBACK_PRICE, known: false };
}

/** Cost in USD of the given usage on the given model. */
export function costOf(model: string, usage: ModelUsage, log: Logger = silentLogger): number {
  const { price: p } = priceOf(model, log);
  const micro =
    usage.inputTokens * p.input +
    usage.outputTokens * p.output +
    usage.cacheWriteTokens * p.cacheWrite +
    usage.cacheReadTokens * p.cacheRead;
  return micro / 1_000_000;
}
