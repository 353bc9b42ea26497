import type {
  CacheControlEphemeral,
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  TextBlockParam,
  ToolUnion,
} from "@anthropic-ai/sdk/resources/messages";
import type { ModelRequest } from "./types.js";

/**
 * Prompt caching. The API caches the prompt prefix (tools → system → messages) that ends at a block
 * marked with `cache_control`, and a later request that repeats the prefix reads it at 0.1× the input
 * price. We place at most four breakpoints (the API's limit):
 *   1. the system prompt (with the tools before it): the same for every job, shared across jobs;
 *   2. the repository context: stable for the whole job;
 *   3. the last block of the newest user message: the moving breakpoint, so the next iteration reads
 *      the whole conversation so far from the cache;
 *   4. the last block of the previous user message: where the previous request's moving breakpoint
 *      was, so the cache is still hit when a turn adds more blocks than the API looks back over (~20).
 */
export const MAX_CACHE_BREAKPOINTS = 4;

const EPHEMERAL: CacheControlEphemeral = { type: "ephemeral" };

/** Block types that may carry cache_control (thinking blocks may not). */
const CACHEABLE_BLOCK_TYPES = new Set(["text", "image", "document", "search_result", "tool_use", "tool_result"]);

function stripCacheControl<T extends object>(block: T): T {
  if (!("cache_control" in block)) return block;
  const { cache_control: _dropped, ...rest } = block as T & { cache_control?: unknown };
  return rest as T;
}

function contentBlocks(content: MessageParam["content"]): ContentBlockParam[] {
  if (typeof content === "string") return content.length > 0 ? [{ type: "text", text: content }] : [];
  return (content as ContentBlockParam[]).map(stripCacheControl);
}

function isCacheable(block: ContentBlockParam): boolean {
  if (!CACHEABLE_BLOCK_TYPES.has(block.type)) return false;
  return block.type !== "text" || block.text.length > 0;
}

/** Marks the last cacheable block of a message; returns false when it has none. */
function markLastBlock(message: MessageParam): boolean {
  const blocks = message.content as ContentBlockParam[];
  for (let i = blocks.length - 1; i >= 0; i--) {
    if (isCacheable(blocks[i])) {
      blocks[i] = { ...blocks[i], cache_control: EPHEMERAL } as ContentBlockParam;
      return true;
    }
  }
  return false;
}

/**
 * The API parameters for a request, with cache breakpoints placed as described above. Pure: the
 * caller's messages are not modified, and any cache_control already in them is removed first.
 */
export function buildMessageParams(model: string, request: ModelRequest): MessageCreateParamsBase {
  const system: TextBlockParam[] = [{ type: "text", text: request.system, cache_control: EPHEMERAL }];
  if (request.context && request.context.length > 0) {
    system.push({ type: "text", text: request.context, cache_control: EPHEMERAL });
  }
  let breakpoints = system.length;

  // Copies without any stale cache_control from an earlier turn; the caller's objects stay untouched.
  const messages: MessageParam[] = request.messages.map((m) =>
    typeof m.content === "string" ? { ...m } : ({ ...m, content: contentBlocks(m.content) } as MessageParam),
  );
  const lastUserIndexes = messages.flatMap((m, i) => (m.role === "user" ? [i] : [])).slice(-2).reverse();
  for (const index of lastUserIndexes) {
    if (breakpoints >= MAX_CACHE_BREAKPOINTS) break;
    const blocks = contentBlocks(messages[index].content);
    if (blocks.length === 0) continue;
    messages[index] = { ...messages[index], content: blocks } as MessageParam;
    if (markLastBlock(messages[index])) breakpoints += 1;
  }

  return {
    model,
    max_tokens: request.maxTokens,
    system,
    tools: request.tools.map((tool) => stripCacheControl(tool) as ToolUnion),
    messages,
  };
}

/** How much of a request the cache can serve, estimated at 4 characters per token. */
export interface CacheBreakdown {
  totalTokens: number;
  /** Tokens up to and including the block with the last breakpoint. */
  cacheableTokens: number;
  breakpoints: number;
  /** cacheableTokens / totalTokens (0 for an empty request). */
  cacheableShare: number;
}

const estimateTokens = (value: unknown): number => Math.ceil(JSON.stringify(value).length / 4);

const hasBreakpoint = (block: unknown): boolean =>
  Boolean(block && typeof block === "object" && "cache_control" in block && (block as { cache_control?: unknown }).cache_control);

/** Walks the prompt in cache order (tools, system, messages) and sums the tokens before the last breakpoint. */
export function cacheBreakdown(params: Pick<MessageCreateParamsBase, "tools" | "system" | "messages">): CacheBreakdown {
  const blocks: unknown[] = [...(params.tools ?? [])];
  if (typeof params.system === "string") blocks.push({ type: "text", text: params.system });
  else blocks.push(...(params.system ?? []));
  for (const message of params.messages) {
    if (typeof message.content === "string") blocks.push({ type: "text", text: message.content });
    else blocks.push(...message.content);
  }
  let totalTokens = 0;
  let cacheableTokens = 0;
  let breakpoints = 0;
  for (const block of blocks) {
    totalTokens += estimateTokens(block);
    if (hasBreakpoint(block)) {
      breakpoints += 1;
      cacheableTokens = totalTokens;
    }
  }
  return { totalTokens, cacheableTokens, breakpoints, cacheableShare: totalTokens === 0 ? 0 : cacheableTokens / totalTokens };
}
