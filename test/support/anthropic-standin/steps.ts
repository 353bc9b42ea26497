import type { RefusalStopDetails, StopReason } from "@anthropic-ai/sdk/resources/messages";

/**
 * What the scripted "model" does for one request. Tests build steps with the helpers below and
 * queue them with `standIn.script(...)`, or return them from a handler that reads the request.
 */
export type Step = MessageStep | ErrorStep | DelayStep | HangStep | DropStep;

export type ScriptedBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** Usage fields a step may pin; anything left out is computed from the request (see usage.ts). */
export interface ScriptedUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface MessageStep {
  kind: "message";
  content: ScriptedBlock[];
  stop_reason: StopReason;
  stop_details?: RefusalStopDetails | null;
  usage?: ScriptedUsage;
  /** Overrides the model echoed back (default: the requested model). */
  model?: string;
}

export interface ErrorStep {
  kind: "error";
  status: number;
  type: string;
  message: string;
  headers?: Record<string, string>;
  /**
   * For `stream: true` requests: answer 200, send `message_start`, then an SSE `error` event, the way
   * the API reports overload in the middle of a stream. Ignored for non-streaming requests.
   */
  midStream?: boolean;
}

export interface DelayStep {
  kind: "delay";
  ms: number;
  then: Step;
}

export interface HangStep {
  kind: "hang";
  /** "headers": never answer. "body": send headers (and message_start when streaming) and then stall. */
  stage: "headers" | "body";
}

/** Answers 200, starts the response (message_start when streaming), then drops the connection. */
export interface DropStep {
  kind: "drop";
}

let toolUseCounter = 0;

/** A fresh id in the API's format (`toolu_` + 24 base62-ish characters). */
export function toolUseId(): string {
  toolUseCounter += 1;
  const random = Math.random().toString(36).slice(2, 12).padEnd(10, "0");
  return `toolu_01${String(toolUseCounter).padStart(6, "0")}${random}standin`.slice(0, 30);
}

export const textBlock = (text: string): ScriptedBlock => ({ type: "text", text });

export const toolUse = (name: string, input: Record<string, unknown>, id: string = toolUseId()): ScriptedBlock => ({
  type: "tool_use",
  id,
  name,
  input,
});

/**
 * A model message. `stop_reason` defaults to "tool_use" when the content has a tool_use block and
 * "end_turn" otherwise, as the real API does.
 */
export function message(options: {
  content: ScriptedBlock[] | string;
  stop_reason?: StopReason;
  stop_details?: RefusalStopDetails | null;
  usage?: ScriptedUsage;
  model?: string;
}): MessageStep {
  const content = typeof options.content === "string" ? [textBlock(options.content)] : options.content;
  const stopReason = options.stop_reason ?? (content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
  const stopDetails =
    options.stop_details !== undefined
      ? options.stop_details
      : stopReason === "refusal"
        ? { type: "refusal" as const, category: null, explanation: null }
        : null;
  return {
    kind: "message",
    content,
    stop_reason: stopReason,
    stop_details: stopDetails,
    ...(options.usage ? { usage: options.usage } : {}),
    ...(options.model ? { model: options.model } : {}),
  };
}

/** An API error in the real shape `{type: "error", error: {type, message}}`. */
export function error(
  status: number,
  type: string,
  messageText: string,
  headers?: Record<string, string>,
  options: { midStream?: boolean } = {},
): ErrorStep {
  return { kind: "error", status, type, message: messageText, ...(headers ? { headers } : {}), ...options };
}

/** Common errors with the API's own wording. */
export const errors = {
  rateLimited: (headers: Record<string, string> = { "retry-after": "1" }) =>
    error(429, "rate_limit_error", "This request would exceed the rate limit for your organization.", headers),
  overloaded: (headers?: Record<string, string>) => error(529, "overloaded_error", "Overloaded", headers),
  internal: (headers?: Record<string, string>) => error(500, "api_error", "Internal server error", headers),
  unauthorized: () => error(401, "authentication_error", "invalid x-api-key"),
};

export const delay = (ms: number, then: Step): DelayStep => ({ kind: "delay", ms, then });

export const hang = (stage: HangStep["stage"] = "headers"): HangStep => ({ kind: "hang", stage });

export const drop = (): DropStep => ({ kind: "drop" });
