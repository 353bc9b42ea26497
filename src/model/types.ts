import type { ContentBlock, MessageParam, StopReason, ToolUnion } from "@anthropic-ai/sdk/resources/messages";

/** Token usage of one turn or a whole job, as the Messages API reports it. */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export const emptyUsage = (): ModelUsage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

export const addUsage = (a: ModelUsage, b: ModelUsage): ModelUsage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
  cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
});

/** One request to the model: the loop's view, before prompt caching is applied. */
export interface ModelRequest {
  /** The system prompt: instructions, identical for every job (cached across jobs for a few minutes). */
  system: string;
  /** Repository context (selected files, map), stable for the whole job; sent after the system prompt. */
  context?: string;
  tools: ToolUnion[];
  /** The conversation so far; must start with a user message. Any cache_control in it is replaced. */
  messages: MessageParam[];
  maxTokens: number;
}

/** One model turn: what came back and what it cost. */
export interface ModelTurn {
  /** The SDK's content blocks (text, tool_use, …), to append to the conversation as the assistant message. */
  content: ContentBlock[];
  /** Returned as-is: "max_tokens", "refusal", "pause_turn" and the rest are for the loop to decide on. */
  stopReason: StopReason | null;
  usage: ModelUsage;
  costUsd: number;
  /** The model that answered, as the API reports it. */
  model: string;
  /** The API's `request-id`, for support tickets. */
  requestId?: string;
  /** Attempts made by the job-level retry (1 when the first attempt succeeded). */
  attempts: number;
}

export interface TurnOptions {
  /** Cancels the turn (e.g. the job was cancelled); the turn then fails with a non-retryable ModelError. */
  signal?: AbortSignal;
}

/** The model edge: one call per loop iteration. Implementations throw ModelError, never anything else. */
export interface ModelClient {
  readonly model: string;
  turn(request: ModelRequest, options?: TurnOptions): Promise<ModelTurn>;
}
