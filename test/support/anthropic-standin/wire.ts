import { randomBytes } from "node:crypto";
import type {
  ContentBlock,
  Message,
  RawMessageStreamEvent,
  TextBlock,
  ToolUseBlock,
  Usage,
} from "@anthropic-ai/sdk/resources/messages";
import type { MessageStep, ScriptedBlock } from "./steps.js";

/**
 * The wire format, typed against the SDK's own response types so that a change in the SDK shows up
 * as a type error here rather than as a silently different stand-in.
 */
export const newId = (prefix: string): string => `${prefix}_01${randomBytes(12).toString("base64url")}`;

export function toContentBlock(block: ScriptedBlock): ContentBlock {
  if (block.type === "text") {
    const text: TextBlock = { type: "text", text: block.text, citations: null };
    return text;
  }
  const toolUse: ToolUseBlock = {
    type: "tool_use",
    id: block.id,
    name: block.name,
    input: block.input,
    caller: { type: "direct" },
  };
  return toolUse;
}

export function makeUsage(fields: {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}): Usage {
  return {
    input_tokens: fields.input_tokens,
    output_tokens: fields.output_tokens,
    cache_creation_input_tokens: fields.cache_creation_input_tokens,
    cache_read_input_tokens: fields.cache_read_input_tokens,
    cache_creation: { ephemeral_5m_input_tokens: fields.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: "standard",
    speed: null,
  };
}

export function makeMessage(step: MessageStep, model: string, usage: Usage): Message {
  return {
    id: newId("msg"),
    type: "message",
    role: "assistant",
    model: step.model ?? model,
    content: step.content.map(toContentBlock),
    stop_reason: step.stop_reason,
    stop_sequence: null,
    stop_details: step.stop_details ?? null,
    container: null,
    diagnostics: null,
    usage,
  };
}

/** Splits a string into `parts` roughly equal chunks (at least one, never empty chunks except for ""). */
export function chunk(text: string, parts: number): string[] {
  if (text.length === 0) return [""];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

/**
 * The event sequence the API streams for a message: message_start (empty content, stop_reason null),
 * then per block content_block_start / deltas / content_block_stop, then message_delta with the stop
 * reason and final usage, then message_stop. Tool input arrives as several input_json_delta chunks
 * (the first one empty, as the API sends it), text as several text_delta chunks.
 */
export function streamEvents(message: Message): { event: string; data: unknown }[] {
  const events: { event: string; data: unknown }[] = [];
  const startUsage: Usage = { ...message.usage, output_tokens: Math.min(1, message.usage.output_tokens) };
  const start: RawMessageStreamEvent = {
    type: "message_start",
    message: { ...message, content: [], stop_reason: null, stop_sequence: null, stop_details: null, usage: startUsage },
  };
  events.push({ event: "message_start", data: start });
  events.push({ event: "ping", data: { type: "ping" } });

  message.content.forEach((block, index) => {
    if (block.type === "text") {
      const blockStart: RawMessageStreamEvent = {
        type: "content_block_start",
        index,
        content_block: { type: "text", text: "", citations: null },
      };
      events.push({ event: "content_block_start", data: blockStart });
      for (const piece of chunk(block.text, 3)) {
        const delta: RawMessageStreamEvent = { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } };
        events.push({ event: "content_block_delta", data: delta });
      }
    } else if (block.type === "tool_use") {
      const blockStart: RawMessageStreamEvent = {
        type: "content_block_start",
        index,
        content_block: { ...block, input: {} },
      };
      events.push({ event: "content_block_start", data: blockStart });
      for (const piece of ["", ...chunk(JSON.stringify(block.input), 4)]) {
        const delta: RawMessageStreamEvent = {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: piece },
        };
        events.push({ event: "content_block_delta", data: delta });
      }
    } else {
      throw new Error(`the stand-in cannot stream ${block.type} blocks`);
    }
    const stop: RawMessageStreamEvent = { type: "content_block_stop", index };
    events.push({ event: "content_block_stop", data: stop });
  });

  const delta: RawMessageStreamEvent = {
    type: "message_delta",
    delta: {
      stop_reason: message.stop_reason,
      stop_sequence: message.stop_sequence,
      stop_details: message.stop_details,
      container: null,
    },
    usage: {
      input_tokens: message.usage.input_tokens,
      output_tokens: message.usage.output_tokens,
      cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
      cache_read_input_tokens: message.usage.cache_read_input_tokens,
      output_tokens_details: null,
      server_tool_use: null,
    },
  };
  events.push({ event: "message_delta", data: delta });
  const stop: RawMessageStreamEvent = { type: "message_stop" };
  events.push({ event: "message_stop", data: stop });
  return events;
}

export const sse = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const errorBody = (type: string, message: string, requestId: string) => ({
  type: "error",
  error: { type, message },
  request_id: requestId,
});
