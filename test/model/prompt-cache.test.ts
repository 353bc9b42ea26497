import type { MessageParam, TextBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { MAX_CACHE_BREAKPOINTS, buildMessageParams, cacheBreakdown } from "../../src/model/prompt-cache.js";
import { codegenToolDefinitions } from "../../src/model/tools/index.js";
import type { ModelRequest } from "../../src/model/types.js";

const countBreakpoints = (value: unknown): number => (JSON.stringify(value).match(/"cache_control"/g) ?? []).length;

const conversation = (): MessageParam[] => [
  { role: "user", content: "Fix the bug in src/a.ts" },
  { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "search", input: { pattern: "bug" } }] },
  { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "src/a.ts:3: bug()" }] },
  { role: "assistant", content: [{ type: "tool_use", id: "toolu_2", name: "run_tests", input: {} }] },
  { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_2", content: "1 failed" }, { type: "text", text: "Tests failed." }] },
];

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  system: "You are codegen.",
  context: "<file path=\"src/a.ts\">export const a = 1;</file>",
  tools: codegenToolDefinitions(),
  messages: conversation(),
  maxTokens: 4096,
  ...overrides,
});

describe("buildMessageParams", () => {
  it("marks the system prompt, the context and the last two user messages", () => {
    const params = buildMessageParams("claude-sonnet-4-5", request());
    const system = params.system as TextBlockParam[];
    expect(system).toHaveLength(2);
    expect(system[0].cache_control).toEqual({ type: "ephemeral" });
    expect(system[1].cache_control).toEqual({ type: "ephemeral" });
    const messages = params.messages;
    const last = messages[4].content as { cache_control?: unknown; type: string }[];
    expect(last.at(-1)).toMatchObject({ type: "text", cache_control: { type: "ephemeral" } });
    expect(last[0].cache_control).toBeUndefined();
    const previous = messages[2].content as { cache_control?: unknown }[];
    expect(previous.at(-1)?.cache_control).toEqual({ type: "ephemeral" });
    expect(countBreakpoints(messages[0])).toBe(0);
    expect(countBreakpoints(params)).toBe(MAX_CACHE_BREAKPOINTS);
    expect(params.model).toBe("claude-sonnet-4-5");
    expect(params.max_tokens).toBe(4096);
  });

  it("uses three breakpoints without repository context", () => {
    const params = buildMessageParams("m", request({ context: undefined }));
    expect(params.system).toHaveLength(1);
    expect(countBreakpoints(params)).toBe(3);
  });

  it("turns a string user message into a marked text block", () => {
    const params = buildMessageParams("m", request({ messages: [{ role: "user", content: "Do it" }] }));
    expect(params.messages[0].content).toEqual([{ type: "text", text: "Do it", cache_control: { type: "ephemeral" } }]);
  });

  it("removes stale breakpoints from earlier turns and never exceeds four", () => {
    const stale = conversation().map((m) =>
      typeof m.content === "string"
        ? m
        : ({ ...m, content: m.content.map((b) => ({ ...b, cache_control: { type: "ephemeral" } })) } as MessageParam),
    );
    const tools = codegenToolDefinitions().map((t) => ({ ...t, cache_control: { type: "ephemeral" as const } }));
    const params = buildMessageParams("m", request({ messages: stale, tools }));
    expect(countBreakpoints(params)).toBe(MAX_CACHE_BREAKPOINTS);
    expect(countBreakpoints(params.tools)).toBe(0);
    expect(countBreakpoints(params.messages[1])).toBe(0);
  });

  it("does not modify the caller's request", () => {
    const input = request();
    const before = JSON.stringify(input);
    buildMessageParams("m", input);
    expect(JSON.stringify(input)).toBe(before);
  });

  it("skips an empty final text block when placing the moving breakpoint", () => {
    const params = buildMessageParams("m", request({
      messages: [{ role: "user", content: [{ type: "text", text: "task" }, { type: "text", text: "" }] }],
    }));
    const blocks = params.messages[0].content as { cache_control?: unknown }[];
    expect(blocks[0].cache_control).toEqual({ type: "ephemeral" });
    expect(blocks[1].cache_control).toBeUndefined();
  });
});

describe("cacheBreakdown", () => {
  it("counts the tokens up to the last breakpoint", () => {
    const breakdown = cacheBreakdown({
      system: [{ type: "text", text: "x".repeat(400), cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "y".repeat(400) }],
    });
    expect(breakdown.breakpoints).toBe(1);
    expect(breakdown.cacheableTokens).toBeGreaterThan(100);
    expect(breakdown.totalTokens).toBeGreaterThan(breakdown.cacheableTokens + 100);
    expect(breakdown.cacheableShare).toBeGreaterThan(0.45);
    expect(breakdown.cacheableShare).toBeLessThan(0.55);
  });

  it("is zero without breakpoints", () => {
    const breakdown = cacheBreakdown({ system: "s", messages: [{ role: "user", content: "hi" }] });
    expect(breakdown).toMatchObject({ breakpoints: 0, cacheableTokens: 0 });
  });

  it("makes most of a later iteration cacheable", () => {
    const params = buildMessageParams("m", request({ context: "c".repeat(20_000) }));
    expect(cacheBreakdown(params).cacheableShare).toBeGreaterThan(0.95);
  });
});
