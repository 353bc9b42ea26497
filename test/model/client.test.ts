import type { ContentBlock, MessageParam, ToolUseBlock } from "@anthropic-ai/sdk/resources/messages";
import { ConfigurationError, ModelError } from "../../src/errors/index.js";
import { silentLogger } from "../../src/logging/logger.js";
import { createModelClient, type ModelClientOptions } from "../../src/model/client.js";
import { costOf } from "../../src/model/pricing.js";
import { buildMessageParams, cacheBreakdown } from "../../src/model/prompt-cache.js";
import { codegenToolDefinitions, toolResultBlock } from "../../src/model/tools/index.js";
import type { ModelRequest } from "../../src/model/types.js";
import {
  drop,
  error,
  errors,
  hang,
  message,
  startAnthropicStandIn,
  textBlock,
  toolUse,
  type AnthropicStandIn,
} from "../support/anthropic-standin/index.js";

const API_KEY = "sk-ant-client-test";
const MODEL = "claude-haiku-4-5-20251001";
const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(() => process.on("unhandledRejection", onUnhandled));
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: "You are codegen, a careful software engineer.",
    context: "<file path=\"src/a.ts\">export const a = 1;</file>",
    tools: codegenToolDefinitions(),
    messages: [{ role: "user", content: "Make a equal 2." }],
    maxTokens: 1024,
    ...overrides,
  };
}

/** The assistant message the loop appends: the turn's content blocks as params. */
function assistantMessage(content: ContentBlock[]): MessageParam {
  return {
    role: "assistant",
    content: content.map((block) =>
      block.type === "tool_use"
        ? { type: "tool_use" as const, id: block.id, name: block.name, input: block.input }
        : { type: "text" as const, text: block.type === "text" ? block.text : "" },
    ),
  };
}

describe("createModelClient against the stand-in", () => {
  let standIn: AnthropicStandIn;
  const client = (options: Partial<ModelClientOptions> = {}) =>
    createModelClient({ apiKey: API_KEY, baseURL: standIn.url, model: MODEL, maxRetries: 0, retry: FAST, log: silentLogger, ...options });

  beforeEach(async () => {
    standIn = await startAnthropicStandIn({ apiKey: API_KEY });
  });
  afterEach(async () => {
    await standIn.close();
    expect(unhandled).toEqual([]);
  });

  it("streams a turn with a tool_use and reports usage, cost and request id", async () => {
    const input = { command: "str_replace", path: "src/a.ts", old_str: "a = 1", new_str: "a = 2" };
    standIn.script(message({ content: [textBlock("Editing."), toolUse("str_replace_based_edit_tool", input, "toolu_01edit")] }));

    const turn = await client().turn(request());

    expect(turn.stopReason).toBe("tool_use");
    expect(turn.content).toHaveLength(2);
    expect(turn.content[1]).toMatchObject({ type: "tool_use", id: "toolu_01edit", name: "str_replace_based_edit_tool", input });
    expect(turn.model).toBe(MODEL);
    expect(turn.attempts).toBe(1);
    expect(turn.requestId).toMatch(/^req_/);
    expect(turn.usage.inputTokens + turn.usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(turn.usage.outputTokens).toBeGreaterThan(0);
    expect(turn.costUsd).toBeCloseTo(costOf(MODEL, turn.usage), 12);
    expect(turn.costUsd).toBeGreaterThan(0);

    const sent = standIn.requests[0];
    expect(sent.stream).toBe(true);
    expect(sent.body?.model).toBe(MODEL);
    expect(sent.body?.max_tokens).toBe(1024);
    expect((sent.body?.tools as { name: string }[]).map((t) => t.name)).toEqual(["str_replace_based_edit_tool", "search", "run_tests"]);
  });

  it("retries a 429 at the job level and then succeeds", async () => {
    standIn.script(errors.rateLimited({ "retry-after-ms": "1" }), message({ content: "done" }));
    const turn = await client().turn(request());
    expect(turn.attempts).toBe(2);
    expect(turn.content[0]).toMatchObject({ text: "done" });
    expect(standIn.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("lets the SDK's own retries absorb a 429 first", async () => {
    standIn.script(errors.rateLimited({ "retry-after-ms": "1" }), message({ content: "done" }));
    const turn = await client({ maxRetries: 2 }).turn(request());
    expect(turn.attempts).toBe(1);
    expect(standIn.requests).toHaveLength(2);
  });

  it("retries a 500 and then succeeds", async () => {
    standIn.script(errors.internal(), message({ content: "done" }));
    const turn = await client().turn(request());
    expect(turn.attempts).toBe(2);
  });

  it("gives up on a 529 that does not clear, with a clear ModelError, in bounded time", async () => {
    standIn.script(() => errors.overloaded({ "retry-after-ms": "1" }));
    const started = Date.now();
    const failure = await client({ maxRetries: 1 }).turn(request()).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ModelError);
    const modelError = failure as ModelError;
    expect(modelError.message).toMatch(/overloaded/i);
    expect(modelError.message).toMatch(/try again later/);
    expect(modelError.message).toMatch(/3 attempts/);
    expect(modelError.userMessage).toBe("The model API is overloaded; try again later.");
    expect(modelError.status).toBe(529);
    expect(modelError.retryable).toBe(true);
    // 3 job-level attempts × (1 request + 1 SDK retry).
    expect(standIn.requests).toHaveLength(6);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("fails at once on 401 without retrying", async () => {
    standIn.script(message({ content: "never" }));
    const failure = (await client({ apiKey: "sk-ant-wrong", maxRetries: 2 }).turn(request()).catch((e: unknown) => e)) as ModelError;
    expect(failure).toBeInstanceOf(ModelError);
    expect(failure.message).toMatch(/API key was rejected.*set ANTHROPIC_API_KEY/);
    expect(failure.message).not.toContain("sk-ant-wrong");
    expect(failure.status).toBe(401);
    expect(failure.retryable).toBe(false);
    expect(standIn.requests).toHaveLength(1);
  });

  it.each([
    [400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", /larger than the model's context window/],
    [400, "invalid_request_error", "messages.0: something odd", /rejected the request.*codegen bug/],
    [403, "permission_error", "no access", /may not use model/],
    [404, "not_found_error", "model: claude-nope", /was not found.*set `model`/],
  ])("does not retry a %d %s", async (status, type, text, expected) => {
    standIn.script(error(status, type, text), message({ content: "never" }));
    const failure = (await client().turn(request()).catch((e: unknown) => e)) as ModelError;
    expect(failure).toBeInstanceOf(ModelError);
    expect(failure.message).toMatch(expected);
    expect(failure.status).toBe(status);
    expect(failure.retryable).toBe(false);
    expect(standIn.requests).toHaveLength(1);
  });

  it("times out a server that never answers, retries, then fails with a ModelError", async () => {
    standIn.script(() => hang("headers"));
    const started = Date.now();
    const failure = (await client({ timeoutMs: 150, retry: { ...FAST, attempts: 2 } }).turn(request()).catch((e: unknown) => e)) as ModelError;
    expect(failure).toBeInstanceOf(ModelError);
    expect(failure.message).toMatch(/did not answer within 0.2 s \(2 attempts/);
    expect(failure.retryable).toBe(true);
    expect(standIn.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("ends a stream that stalls after the headers and retries it", async () => {
    standIn.script(hang("body"), message({ content: "second try" }));
    const turn = await client({ timeoutMs: 150 }).turn(request());
    expect(turn.attempts).toBe(2);
    expect(turn.content[0]).toMatchObject({ text: "second try" });
  });

  it("bounds a whole attempt even when the server keeps the stream alive", async () => {
    standIn.script(() => hang("body"));
    const started = Date.now();
    const failure = (await client({ timeoutMs: 10_000, attemptTimeoutMs: 200, retry: { ...FAST, attempts: 1 } })
      .turn(request())
      .catch((e: unknown) => e)) as ModelError;
    expect(failure).toBeInstanceOf(ModelError);
    expect(failure.message).toMatch(/did not finish/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("retries a connection dropped in the middle of the stream", async () => {
    standIn.script(drop(), message({ content: "recovered" }));
    const turn = await client().turn(request());
    expect(turn.attempts).toBe(2);
  });

  it("retries an overloaded error sent in the middle of the stream", async () => {
    standIn.script(error(529, "overloaded_error", "Overloaded", undefined, { midStream: true }), message({ content: "recovered" }));
    const turn = await client().turn(request());
    expect(turn.attempts).toBe(2);
  });

  it("reports an unreachable API as a connection failure", async () => {
    const url = standIn.url;
    await standIn.close();
    const failure = (await createModelClient({ apiKey: API_KEY, baseURL: url, model: MODEL, maxRetries: 0, retry: FAST, log: silentLogger })
      .turn(request())
      .catch((e: unknown) => e)) as ModelError;
    expect(failure).toBeInstanceOf(ModelError);
    expect(failure.message).toMatch(/Could not connect to the model API after 3 attempts/);
    standIn = await startAnthropicStandIn({ apiKey: API_KEY });
  });

  it.each([
    ["max_tokens", "partial answ"],
    ["refusal", "I can't help with that."],
  ] as const)("returns stop_reason %s to the caller as-is", async (stopReason, text) => {
    standIn.script(message({ content: text, stop_reason: stopReason }));
    const turn = await client().turn(request());
    expect(turn.stopReason).toBe(stopReason);
    expect(turn.content[0]).toMatchObject({ type: "text", text });
  });

  it("can be cancelled while waiting", async () => {
    standIn.script(() => hang("headers"));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const failure = (await client({ timeoutMs: 60_000 }).turn(request(), { signal: controller.signal }).catch((e: unknown) => e)) as ModelError;
    expect(failure).toBeInstanceOf(ModelError);
    expect(failure.message).toMatch(/cancelled/);
    expect(failure.retryable).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("rejects an invalid request before calling the API", async () => {
    const failure = await client().turn(request({ messages: [] })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ModelError);
    expect((failure as Error).message).toMatch(/conversation is empty/);
    expect(standIn.requests).toHaveLength(0);
  });

  it("rejects missing options with a ConfigurationError", () => {
    expect(() => createModelClient({ apiKey: "", model: MODEL, log: silentLogger })).toThrow(ConfigurationError);
    expect(() => createModelClient({ apiKey: "", model: MODEL, log: silentLogger })).toThrow(/set ANTHROPIC_API_KEY/);
  });

  it("serves most of the second iteration's input from the prompt cache", async () => {
    // Haiku 4.5 caches only prefixes of 4096+ tokens; make the stand-in as strict.
    await standIn.close();
    standIn = await startAnthropicStandIn({ apiKey: API_KEY, minCacheableTokens: 4096 });
    // A realistic job: instructions, tools, ~6k tokens of repository context, then a tool round trip.
    const file = (name: string, lines: number) =>
      `<file path="src/${name}.ts">\n${Array.from({ length: lines }, (_, i) => `export function ${name}${i}(value: number): number { return value * ${i} + 1; }`).join("\n")}\n</file>`;
    const context = ["a", "b", "c", "d"].map((n) => file(n, 80)).join("\n");
    const system = "You are codegen, a careful software engineer making one change to a repository.\n".repeat(30);
    standIn.script((recorded) => {
      const messages = recorded.body?.messages as MessageParam[];
      return messages.length === 1
        ? message({ content: [toolUse("search", { pattern: "a3(" }, "toolu_01search")] })
        : message({ content: "Done: a3 now returns 2." });
    });
    const model = client();
    const messages: MessageParam[] = [{ role: "user", content: "Make a3 return 2 for every input." }];

    const first = await model.turn(request({ system, context, messages }));
    expect(first.usage.cacheReadTokens).toBe(0);
    expect(first.usage.cacheWriteTokens).toBeGreaterThan(first.usage.inputTokens);

    const call = first.content.find((b): b is ToolUseBlock => b.type === "tool_use")!;
    messages.push(assistantMessage(first.content), {
      role: "user",
      content: [toolResultBlock(call.id, { content: "src/a.ts:4: export function a3(value: number)", isError: false })],
    });
    const secondRequest = request({ system, context, messages });
    const second = await model.turn(secondRequest);

    const total = second.usage.inputTokens + second.usage.cacheReadTokens + second.usage.cacheWriteTokens;
    expect(second.usage.cacheReadTokens / total).toBeGreaterThan(0.5);
    expect(second.usage.cacheReadTokens).toBeGreaterThanOrEqual(first.usage.cacheWriteTokens);
    expect(second.costUsd).toBeLessThan(first.costUsd);
    expect(cacheBreakdown(buildMessageParams(MODEL, secondRequest)).cacheableShare).toBeGreaterThan(0.5);
    for (const sent of standIn.requests) {
      expect((JSON.stringify(sent.body).match(/"cache_control"/g) ?? []).length).toBeLessThanOrEqual(4);
    }
  });
});
