import type { ContentBlock, ContentBlockParam, MessageParam, ToolUseBlock } from "@anthropic-ai/sdk/resources/messages";
import { toolResultBlock } from "./tools/index.js";
import type { ToolResult } from "./tools/types.js";
import type { ModelTurn } from "./types.js";

/**
 * Small helpers for the loop that turn a model turn into the next request's messages, in the shapes
 * the API accepts back (response-only fields dropped, no empty text blocks, which the API rejects).
 */
export function toolUses(turn: Pick<ModelTurn, "content">): ToolUseBlock[] {
  return turn.content.filter((block): block is ToolUseBlock => block.type === "tool_use");
}

function toParam(block: ContentBlock): ContentBlockParam | undefined {
  switch (block.type) {
    case "text":
      return block.text.length > 0 ? { type: "text", text: block.text } : undefined;
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: block.input };
    case "thinking":
      return { type: "thinking", thinking: block.thinking, signature: block.signature };
    case "redacted_thinking":
      return { type: "redacted_thinking", data: block.data };
    default:
      // Server-tool blocks are valid input as they came back.
      return block as unknown as ContentBlockParam;
  }
}

/** The assistant message to append after a turn. */
export function assistantMessage(turn: Pick<ModelTurn, "content">): MessageParam {
  const content = turn.content.map(toParam).filter((b): b is ContentBlockParam => b !== undefined);
  return { role: "assistant", content: content.length > 0 ? content : [{ type: "text", text: "(no output)" }] };
}

/** The user message that answers every tool_use of a turn, in order, optionally followed by text. */
export function toolResultsMessage(results: { toolUseId: string; result: ToolResult }[], text?: string): MessageParam {
  const content: ContentBlockParam[] = results.map(({ toolUseId, result }) => toolResultBlock(toolUseId, result));
  if (text && text.length > 0) content.push({ type: "text", text });
  return { role: "user", content };
}
