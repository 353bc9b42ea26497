import Anthropic, { AnthropicError, APIError } from "@anthropic-ai/sdk";
import type { Message, MessageCreateParamsBase, Usage } from "@anthropic-ai/sdk/resources/messages";
import { z } from "zod";
import { ConfigurationError, ModelError } from "../errors/index.js";
import type { Logger } from "../logging/logger.js";
import { backoffDelay, defaultRetryPolicy, sleep, type RetryPolicy } from "./backoff.js";
import { AttemptTimeoutError, classifyFailure, toModelError, type ModelFailure } from "./failures.js";
import { costOf, priceOf } from "./pricing.js";
import { buildMessageParams } from "./prompt-cache.js";
import type { ModelClient, ModelRequest, ModelTurn, ModelUsage, TurnOptions } from "./types.js";

export interface ModelClientOptions {
  apiKey: string;
  /** Defaults to ANTHROPIC_BASE_URL, then the public API (the SDK's own rule). */
  baseURL?: string;
  model: string;
  /** Retries of one HTTP request by the SDK itself (429, 5xx, connection errors). Default 2. */
  maxRetries?: number;
  /** How long to wait for the response headers, and then for each next stream event. Default 2 minutes. */
  timeoutMs?: number;
  /** Upper bound for one attempt of a turn, SDK retries included. Default 15 minutes. */
  attemptTimeoutMs?: number;
  /** Retries of the whole turn on transient failures. Default 3 attempts, 2 s base, 60 s cap. */
  retry?: Partial<RetryPolicy>;
  log: Logger;
}

const optionsSchema = z.object({
  apiKey: z.string().trim().min(1, "the Anthropic API key is missing: set ANTHROPIC_API_KEY"),
  baseURL: z.url({ protocol: /^https?$/ }).optional(),
  model: z.string().trim().min(1, "no model id given: set `model` in .github/codegen.yml or the app's default model"),
  maxRetries: z.number().int().min(0).max(10).default(2),
  timeoutMs: z.number().int().min(1).default(120_000),
  attemptTimeoutMs: z.number().int().min(1).default(15 * 60_000),
  retry: z
    .object({
      attempts: z.number().int().min(1).max(10).optional(),
      baseDelayMs: z.number().min(0).optional(),
      maxDelayMs: z.number().min(0).optional(),
    })
    .default({}),
});

const requestSchema = z.object({
  system: z.string().min(1, "the system prompt is empty"),
  context: z.string().optional(),
  tools: z.array(z.object({ name: z.string().min(1) }).passthrough()),
  messages: z
    .array(z.object({ role: z.enum(["user", "assistant"]), content: z.union([z.string(), z.array(z.any())]) }).passthrough())
    .min(1, "the conversation is empty")
    .refine((messages) => messages[0]?.role === "user", "the conversation must start with a user message"),
  maxTokens: z.number().int().min(1),
});

export function toModelUsage(usage: Pick<Usage, "input_tokens" | "output_tokens" | "cache_creation_input_tokens" | "cache_read_input_tokens">): ModelUsage {
  return {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
  };
}

/** Messages of an error and its causes, for recognising runtime network errors by their text. */
function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    parts.push(`${current.name}: ${current.message} ${(current as NodeJS.ErrnoException).code ?? ""}`);
  }
  return parts.join(" <- ");
}

/** Failures that surface while the body streams in, outside the SDK's request layer (which has its own types). */
function normaliseStreamFailure(error: unknown): ModelFailure | undefined {
  if (error instanceof APIError || !(error instanceof Error)) return undefined;
  const chain = causeChain(error);
  if (/terminated|ECONNRESET|socket hang up|other side closed|UND_ERR_SOCKET|EPIPE/i.test(chain)) {
    return { kind: "connection", retryable: true, detail: `the connection dropped mid-response (${error.message})` };
  }
  if (error instanceof AnthropicError && /ended without|request ended|no body/i.test(error.message)) {
    return { kind: "server", retryable: true, detail: `the response stream ended early (${error.message})` };
  }
  return undefined;
}

/**
 * The model client: one streamed Messages API call per turn, with prompt caching, the SDK's retries
 * per HTTP request, a retry of the whole turn on transient failures, and a deadline on every wait.
 * It throws only ModelError.
 */
export function createModelClient(options: ModelClientOptions): ModelClient {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ key: i.path.join(".") || "model client", message: i.message }));
    throw new ConfigurationError(`Invalid model client options: ${issues.map((i) => `${i.key}: ${i.message}`).join("; ")}`, issues);
  }
  const config = parsed.data;
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...stripUndefined(config.retry) };
  const log = options.log.child({ component: "model", model: config.model });
  priceOf(config.model, log); // warns once now if the model has no known price

  const sdk = new Anthropic({
    apiKey: config.apiKey,
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    maxRetries: config.maxRetries,
    timeout: config.timeoutMs,
    logLevel: "info",
    // The SDK logs its own retries at info; keep them, one level down, in our logger (never headers).
    logger: {
      error: (msg: string) => log.warn({ source: "anthropic-sdk" }, msg),
      warn: (msg: string) => log.warn({ source: "anthropic-sdk" }, msg),
      info: (msg: string) => log.debug({ source: "anthropic-sdk" }, msg),
      debug: (msg: string) => log.trace({ source: "anthropic-sdk" }, msg),
    },
  });

  async function attempt(params: MessageCreateParamsBase, signal: AbortSignal | undefined): Promise<{ message: Message; requestId?: string }> {
    const controller = new AbortController();
    let deadlineError: AttemptTimeoutError | undefined;
    const expire = (error: AttemptTimeoutError) => {
      deadlineError ??= error;
      controller.abort();
    };
    const forwardAbort = () => controller.abort();
    signal?.addEventListener("abort", forwardAbort, { once: true });
    const deadline = setTimeout(
      () => expire(new AttemptTimeoutError(config.attemptTimeoutMs, "the turn did not finish")),
      config.attemptTimeoutMs,
    );
    // Before the headers arrive the SDK's own timeout applies; after them, a stalled stream is ours to end.
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => expire(new AttemptTimeoutError(config.timeoutMs, "the response stream stalled")), config.timeoutMs);
    };
    try {
      const stream = sdk.messages.stream(params, { signal: controller.signal });
      stream.on("connect", armIdle);
      stream.on("streamEvent", armIdle);
      const message = await stream.finalMessage();
      return { message, requestId: stream.request_id ?? undefined };
    } catch (error) {
      if (deadlineError && !signal?.aborted) throw deadlineError;
      throw error;
    } finally {
      clearTimeout(deadline);
      clearTimeout(idle);
      signal?.removeEventListener("abort", forwardAbort);
    }
  }

  async function turn(request: ModelRequest, turnOptions: TurnOptions = {}): Promise<ModelTurn> {
    const checked = requestSchema.safeParse(request);
    if (!checked.success) {
      const detail = checked.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ");
      throw new ModelError(`Invalid model request (a codegen bug): ${detail}`, {
        userMessage: "codegen built an invalid model request; this is a bug in codegen.",
      });
    }
    const params = buildMessageParams(config.model, request);
    const { signal } = turnOptions;
    const context = { model: config.model, timeoutMs: config.timeoutMs };
    const started = Date.now();

    for (let attemptNo = 1; ; attemptNo++) {
      try {
        if (signal?.aborted) throw signal.reason ?? new Error("aborted");
        const { message, requestId } = await attempt(params, signal);
        const usage = toModelUsage(message.usage);
        const model = message.model || config.model;
        const costUsd = costOf(model, usage, log);
        log.info(
          { stopReason: message.stop_reason, usage, costUsd, requestId, attempts: attemptNo, durationMs: Date.now() - started },
          "model turn",
        );
        return {
          content: message.content,
          stopReason: message.stop_reason,
          usage,
          costUsd,
          model,
          ...(requestId ? { requestId } : {}),
          attempts: attemptNo,
        };
      } catch (error) {
        if (signal?.aborted) {
          throw toModelError({ kind: "cancelled", retryable: false, detail: "cancelled" }, { ...context, attempts: attemptNo }, error);
        }
        const failure = normaliseStreamFailure(error) ?? classifyFailure(error);
        const fields = { attempt: attemptNo, of: policy.attempts, kind: failure.kind, status: failure.status, type: failure.type, requestId: failure.requestId };
        if (!failure.retryable || attemptNo >= policy.attempts) {
          log.error({ ...fields, detail: failure.detail }, "model turn failed");
          throw toModelError(failure, { ...context, attempts: attemptNo }, error);
        }
        const delayMs = backoffDelay(attemptNo, policy, failure.retryAfterMs);
        log.warn({ ...fields, delayMs, detail: failure.detail }, "model turn failed; retrying");
        try {
          await sleep(delayMs, signal);
        } catch (abortReason) {
          throw toModelError({ kind: "cancelled", retryable: false, detail: "cancelled" }, { ...context, attempts: attemptNo }, abortReason);
        }
      }
    }
  }

  return { model: config.model, turn };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
