/** The model edge: client, prompt caching, pricing, task-text sanitising and the workspace tools. */
export * from "./types.js";
export { createModelClient, toModelUsage, type ModelClientOptions } from "./client.js";
export { defaultRetryPolicy, backoffDelay, type RetryPolicy } from "./backoff.js";
export { classifyFailure, toModelError, type FailureKind, type ModelFailure } from "./failures.js";
export { MAX_CACHE_BREAKPOINTS, buildMessageParams, cacheBreakdown, type CacheBreakdown } from "./prompt-cache.js";
export { FALLBACK_PRICE, MODEL_PRICES, costOf, priceOf, type ModelPrice } from "./pricing.js";
export { sanitizeTaskText, stripHiddenHtml, stripInvisibleCharacters, stripMarkdownHiddenText } from "./sanitize.js";
export { assistantMessage, toolResultsMessage, toolUses } from "./conversation.js";
export * from "./tools/index.js";
