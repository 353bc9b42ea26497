import type { Logger } from "../../src/logging/logger.js";
import { silentLogger } from "../../src/logging/logger.js";
import { FALLBACK_PRICE, costOf, priceOf } from "../../src/model/pricing.js";

const usage = (inputTokens: number, outputTokens: number, cacheWriteTokens = 0, cacheReadTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheWriteTokens,
  cacheReadTokens,
});

function recordingLogger(): Logger & { warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const log: Logger & { warnings: unknown[][] } = {
    ...silentLogger,
    warn: (...args: unknown[]) => void warnings.push(args),
    child: () => log,
    warnings,
  };
  return log;
}

describe("priceOf", () => {
  it.each([
    ["claude-opus-4-5", 5, 25],
    ["claude-opus-4-5-20251101", 5, 25],
    ["claude-opus-4-1", 15, 75],
    ["claude-opus-4-1-20250805", 15, 75],
    ["claude-opus-4", 15, 75],
    ["claude-opus-4-20250514", 15, 75],
    ["claude-sonnet-4-5", 3, 15],
    ["claude-sonnet-4-5-20250929", 3, 15],
    ["claude-sonnet-4-20250514", 3, 15],
    ["claude-haiku-4-5-20251001", 1, 5],
    ["claude-3-5-haiku-20241022", 0.8, 4],
    ["claude-3-5-haiku-latest", 0.8, 4],
    ["Claude-Sonnet-4-5", 3, 15],
  ])("%s costs $%d / $%d per million input / output tokens", (model, input, output) => {
    const { price, known } = priceOf(model);
    expect(known).toBe(true);
    expect(price.input).toBe(input);
    expect(price.output).toBe(output);
    expect(price.cacheWrite).toBeCloseTo(input * 1.25);
    expect(price.cacheRead).toBeCloseTo(input * 0.1);
  });

  it("does not match a family by a bare prefix (claude-opus-40 is not claude-opus-4)", () => {
    expect(priceOf("claude-opus-40").known).toBe(false);
  });

  it("prices an unknown model like the most expensive known one and warns once", () => {
    const log = recordingLogger();
    const model = `claude-unknown-${Date.now()}`;
    const first = priceOf(model, log);
    priceOf(model, log);
    expect(first.known).toBe(false);
    expect(first.price).toEqual(FALLBACK_PRICE);
    expect(FALLBACK_PRICE.input).toBe(15);
    expect(FALLBACK_PRICE.output).toBe(75);
    expect(log.warnings).toHaveLength(1);
  });
});

describe("costOf", () => {
  it.each([
    ["claude-sonnet-4-5", usage(1_000_000, 0), 3],
    ["claude-sonnet-4-5", usage(0, 1_000_000), 15],
    ["claude-sonnet-4-5", usage(0, 0, 1_000_000), 3.75],
    ["claude-sonnet-4-5", usage(0, 0, 0, 1_000_000), 0.3],
    ["claude-haiku-4-5", usage(10_000, 2_000, 50_000, 200_000), 0.01 + 0.01 + 0.0625 + 0.02],
    ["claude-opus-4-5", usage(1234, 567, 0, 0), (1234 * 5 + 567 * 25) / 1e6],
    ["claude-sonnet-4", usage(0, 0), 0],
  ])("%s %o costs $%d", (model, u, expected) => {
    expect(costOf(model, u)).toBeCloseTo(expected, 10);
  });

  it("makes cached reads ten times cheaper than fresh input", () => {
    expect(costOf("claude-sonnet-4-5", usage(0, 0, 0, 100_000)) * 10).toBeCloseTo(costOf("claude-sonnet-4-5", usage(100_000, 0)));
  });
});
