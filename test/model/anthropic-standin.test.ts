import Anthropic, { APIError, AuthenticationError, RateLimitError } from "@anthropic-ai/sdk";
import type { MessageParam, ToolResultBlockParam } from "@anthropic-ai/sdk/resources/messages";
import {
  error,
  errors,
  hang,
  message,
  startAnthropicStandIn,
  textBlock,
  toolUse,
  type AnthropicStandIn,
} from "../support/anthropic-standin/index.js";

const API_KEY = "sk-ant-test-standin";
const MODEL = "claude-haiku-4-5-20251001";

describe("Anthropic stand-in with the real SDK", () => {
  let standIn: AnthropicStandIn;
  let client: Anthropic;

  beforeEach(async () => {
    standIn = await startAnthropicStandIn({ apiKey: API_KEY });
    client = new Anthropic({ apiKey: API_KEY, baseURL: standIn.url, maxRetries: 0 });
  });
  afterEach(async () => {
    await standIn.close();
  });

  const ask = (content = "Fix the bug"): MessageParam[] => [{ role: "user", content }];

  it("answers a non-streaming request with a full message and records the request", async () => {
    standIn.script(message({ content: "Hello from the stand-in" }));
    const response = await client.messages.create({ model: MODEL, max_tokens: 100, messages: ask() });

    expect(response.type).toBe("message");
    expect(response.role).toBe("assistant");
    expect(response.model).toBe(MODEL);
    expect(response.stop_reason).toBe("end_turn");
    expect(response.content).toEqual([{ type: "text", text: "Hello from the stand-in", citations: null }]);
    expect(response.usage.input_tokens).toBeGreaterThan(0);
    expect(response.usage.output_tokens).toBeGreaterThan(0);
    expect(response.id).toMatch(/^msg_/);

    expect(standIn.requests).toHaveLength(1);
    const [request] = standIn.requests;
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request.body?.model).toBe(MODEL);
    expect(request.stream).toBe(false);
  });

  it("streams text and tool_use blocks as SSE that the SDK's stream parser reassembles", async () => {
    const input = { command: "str_replace", path: "src/a.ts", old_str: "const a = 1;", new_str: "const a = 2;" };
    standIn.script(message({ content: [textBlock("I will edit the file."), toolUse("str_replace_based_edit_tool", input, "toolu_01abc")] }));

    const stream = client.messages.stream({ model: MODEL, max_tokens: 100, messages: ask() });
    const eventTypes: string[] = [];
    const jsonChunks: string[] = [];
    stream.on("streamEvent", (event) => {
      eventTypes.push(event.type);
      if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") jsonChunks.push(event.delta.partial_json);
    });
    const final = await stream.finalMessage();

    expect(final.stop_reason).toBe("tool_use");
    expect(final.content[0]).toMatchObject({ type: "text", text: "I will edit the file." });
    expect(final.content[1]).toMatchObject({ type: "tool_use", id: "toolu_01abc", name: "str_replace_based_edit_tool", input });
    expect(eventTypes[0]).toBe("message_start");
    expect(eventTypes.at(-1)).toBe("message_stop");
    expect(eventTypes).toContain("message_delta");
    expect(jsonChunks.filter((c) => c.length > 0).length).toBeGreaterThan(1);
    expect(jsonChunks.join("")).toBe(JSON.stringify(input));
    expect(final.usage.output_tokens).toBeGreaterThan(1);
    expect(standIn.requests[0].stream).toBe(true);
    expect(stream.request_id).toMatch(/^req_/);
  });

  it("rejects a wrong API key with 401 authentication_error and consumes no script step", async () => {
    standIn.script(message({ content: "never sent" }));
    const wrong = new Anthropic({ apiKey: "sk-ant-wrong", baseURL: standIn.url, maxRetries: 0 });
    const failure = await wrong.messages.create({ model: MODEL, max_tokens: 10, messages: ask() }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthenticationError);
    expect((failure as APIError).type).toBe("authentication_error");
    expect(standIn.remaining()).toBe(1);
  });

  it("returns scripted errors in the API's shape with their headers", async () => {
    standIn.script(errors.rateLimited({ "retry-after": "7" }));
    const failure = (await client.messages.create({ model: MODEL, max_tokens: 10, messages: ask() }).catch((e: unknown) => e)) as APIError;
    expect(failure).toBeInstanceOf(RateLimitError);
    expect(failure.status).toBe(429);
    expect(failure.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect(failure.headers?.get("retry-after")).toBe("7");
    expect(failure.requestID).toMatch(/^req_/);
  });

  it("lets the SDK's own retries recover from a 529", async () => {
    const retrying = new Anthropic({ apiKey: API_KEY, baseURL: standIn.url, maxRetries: 2 });
    standIn.script(errors.overloaded({ "retry-after-ms": "1" }), message({ content: "recovered" }));
    const response = await retrying.messages.create({ model: MODEL, max_tokens: 10, messages: ask() });
    expect(response.content[0]).toMatchObject({ text: "recovered" });
    expect(standIn.requests.map((r) => r.status)).toEqual([529, 200]);
  });

  it("reports an error event in the middle of a stream", async () => {
    standIn.script(error(529, "overloaded_error", "Overloaded", undefined, { midStream: true }));
    const failure = (await client.messages.stream({ model: MODEL, max_tokens: 10, messages: ask() }).finalMessage().catch((e: unknown) => e)) as APIError;
    expect(failure).toBeInstanceOf(APIError);
    expect(failure.type).toBe("overloaded_error");
  });

  it("answers a loud 500 when the script runs out", async () => {
    const failure = (await client.messages.create({ model: MODEL, max_tokens: 10, messages: ask() }).catch((e: unknown) => e)) as APIError;
    expect(failure.status).toBe(500);
    expect(failure.message).toMatch(/script ran out/);
  });

  it("lets a handler react to tool results", async () => {
    standIn.script((request) => {
      const messages = request.body?.messages as MessageParam[];
      const last = messages.at(-1)!;
      const blocks = Array.isArray(last.content) ? last.content : [];
      const result = blocks.find((b): b is ToolResultBlockParam => b.type === "tool_result");
      return result ? message({ content: `saw: ${String(result.content)}` }) : message({ content: [toolUse("run_tests", {}, "toolu_01run")] });
    });
    const first = await client.messages.create({ model: MODEL, max_tokens: 10, messages: ask() });
    expect(first.stop_reason).toBe("tool_use");
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 10,
      messages: [
        ...ask(),
        { role: "assistant", content: first.content.map((b) => (b.type === "tool_use" ? { type: "tool_use" as const, id: b.id, name: b.name, input: b.input } : { type: "text" as const, text: "x" })) },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01run", content: "3 passed" }] },
      ],
    });
    expect(second.content[0]).toMatchObject({ text: "saw: 3 passed" });
  });

  it("rejects conversations the real API rejects (missing tool_result, empty text, too many breakpoints)", async () => {
    const missingResult = await client.messages
      .create({
        model: MODEL,
        max_tokens: 10,
        messages: [
          ...ask(),
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_01x", name: "run_tests", input: {} }] },
          { role: "user", content: "go on" },
        ],
      })
      .catch((e: unknown) => e as APIError);
    expect((missingResult as APIError).status).toBe(400);
    expect((missingResult as APIError).message).toMatch(/tool_use.*without.*tool_result/);

    const emptyText = await client.messages
      .create({ model: MODEL, max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "" }] }] })
      .catch((e: unknown) => e as APIError);
    expect((emptyText as APIError).status).toBe(400);

    const cc = { type: "ephemeral" as const };
    const tooMany = await client.messages
      .create({
        model: MODEL,
        max_tokens: 10,
        system: [1, 2, 3, 4, 5].map((n) => ({ type: "text" as const, text: `part ${n}`, cache_control: cc })),
        messages: ask(),
      })
      .catch((e: unknown) => e as APIError);
    expect((tooMany as APIError).status).toBe(400);
    expect((tooMany as APIError).message).toMatch(/maximum of 4 blocks with cache_control/);
  });

  it("reports cache writes the first time and cache reads after, from the request itself", async () => {
    standIn.script(message({ content: "one" }), message({ content: "two" }), message({ content: "three" }));
    const system = [{ type: "text" as const, text: "You are careful. ".repeat(400), cache_control: { type: "ephemeral" as const } }];
    const first = await client.messages.create({ model: MODEL, max_tokens: 10, system, messages: ask("task one") });
    const second = await client.messages.create({ model: MODEL, max_tokens: 10, system, messages: ask("task two") });
    const uncached = await client.messages.create({ model: MODEL, max_tokens: 10, system: "You are careful. ".repeat(400), messages: ask("task three") });

    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1000);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(second.usage.input_tokens).toBeLessThan(20);
    expect(uncached.usage.cache_read_input_tokens).toBe(0);
    expect(uncached.usage.cache_creation_input_tokens).toBe(0);
    expect(uncached.usage.input_tokens).toBeGreaterThan(1000);
  });

  it("keeps a hung request open until the client times out", async () => {
    standIn.script(hang());
    const impatient = new Anthropic({ apiKey: API_KEY, baseURL: standIn.url, maxRetries: 0, timeout: 150 });
    const started = Date.now();
    const failure = await impatient.messages.create({ model: MODEL, max_tokens: 10, messages: ask() }).catch((e: unknown) => e);
    expect((failure as Error).name).toBe("APIConnectionTimeoutError");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
