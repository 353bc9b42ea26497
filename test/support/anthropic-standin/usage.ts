import { createHash } from "node:crypto";

/**
 * Token accounting and prompt caching, modelled on the documented API behaviour:
 * - the prompt is the sequence tools → system → messages, split into blocks;
 * - a block with `cache_control` (or the last block when the request has a top-level `cache_control`)
 *   is a breakpoint; the prefix that ends there is written to the cache;
 * - a later request reads from the cache when a prefix it shares was written before, looking back up to
 *   `lookbackBlocks` block boundaries before each of its breakpoints;
 * - cache_read = the longest such prefix, cache_creation = from there to the last breakpoint,
 *   input_tokens = the rest after the last breakpoint.
 * Tokens are estimated as characters / 4 of each block's canonical JSON. This is deliberately a
 * separate implementation from src/model's estimate, so tests compare two independent computations.
 */
export interface CacheSimOptions {
  /** Prefixes shorter than this are never cached (the API needs 1024–4096 tokens depending on the model). */
  minCacheableTokens: number;
  lookbackBlocks: number;
}

export interface PromptBlock {
  json: string;
  tokens: number;
  breakpoint: boolean;
}

export interface ComputedUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  breakpoints: number;
}

const estimate = (text: string): number => Math.ceil(text.length / 4);

function withoutCacheControl(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const { cache_control: _ignored, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** The request as the ordered blocks the cache works on. */
export function promptBlocks(body: Record<string, unknown>): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  const push = (value: unknown, marked: boolean, prefix = "") => {
    const json = prefix + JSON.stringify(withoutCacheControl(value));
    blocks.push({ json, tokens: estimate(json), breakpoint: marked });
  };
  const marked = (value: unknown) =>
    Boolean(value && typeof value === "object" && (value as Record<string, unknown>).cache_control);

  for (const tool of (body.tools as unknown[] | undefined) ?? []) push(tool, marked(tool));
  const system = body.system;
  if (typeof system === "string") push({ system }, false);
  else if (Array.isArray(system)) for (const block of system) push(block, marked(block));
  for (const msg of (body.messages as { role: string; content: unknown }[] | undefined) ?? []) {
    const role = `${msg.role}:`;
    if (typeof msg.content === "string") {
      push({ type: "text", text: msg.content }, false, role);
    } else if (Array.isArray(msg.content)) {
      msg.content.forEach((block, i) => push(block, marked(block), i === 0 ? role : ""));
    }
  }
  // Automatic caching: a top-level cache_control puts the breakpoint on the last cacheable block.
  if (body.cache_control && blocks.length > 0) blocks[blocks.length - 1].breakpoint = true;
  return blocks;
}

export function countBreakpoints(body: Record<string, unknown>): number {
  return promptBlocks(body).filter((b) => b.breakpoint).length;
}

/** The stand-in's cache: prefix hashes written by earlier requests, per model. */
export class PromptCacheSim {
  private readonly written = new Set<string>();
  private readonly options: CacheSimOptions;
  constructor(options: CacheSimOptions) {
    this.options = options;
  }

  /** Computes usage for a request and records the prefixes it writes. */
  account(body: Record<string, unknown>): ComputedUsage {
    const blocks = promptBlocks(body);
    const model = String(body.model ?? "");
    const cumulative: number[] = [];
    const hashes: string[] = [];
    let tokens = 0;
    let hash = createHash("sha256").update(model).digest("hex");
    for (const block of blocks) {
      tokens += block.tokens;
      hash = createHash("sha256").update(hash).update(block.json).digest("hex");
      cumulative.push(tokens);
      hashes.push(hash);
    }
    const total = tokens;
    const breakpoints = blocks.flatMap((b, i) => (b.breakpoint ? [i] : []));
    if (breakpoints.length === 0) {
      return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, breakpoints: 0 };
    }

    const last = breakpoints[breakpoints.length - 1];
    let hit = -1;
    for (const bp of breakpoints) {
      for (let i = bp; i >= Math.max(0, bp - this.options.lookbackBlocks); i--) {
        if (this.written.has(hashes[i])) {
          hit = Math.max(hit, i);
          break;
        }
      }
    }
    const cacheable = cumulative[last] >= this.options.minCacheableTokens;
    for (const bp of breakpoints) {
      if (cumulative[bp] >= this.options.minCacheableTokens) this.written.add(hashes[bp]);
    }
    if (!cacheable) {
      return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, breakpoints: breakpoints.length };
    }
    const read = hit >= 0 ? cumulative[hit] : 0;
    return {
      input_tokens: total - cumulative[last],
      cache_creation_input_tokens: cumulative[last] - read,
      cache_read_input_tokens: read,
      breakpoints: breakpoints.length,
    };
  }
}

export const estimateOutputTokens = (content: unknown): number => Math.max(1, estimate(JSON.stringify(content)));
