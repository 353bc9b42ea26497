import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { ModelError } from "../errors/index.js";

/** Why a model call failed, in terms the retry policy and the user message need. */
export type FailureKind =
  | "authentication"
  | "billing"
  | "permission"
  | "not_found"
  | "invalid_request"
  | "prompt_too_long"
  | "too_large"
  | "rate_limited"
  | "overloaded"
  | "server"
  | "timeout"
  | "connection"
  | "cancelled"
  | "unexpected";

export interface ModelFailure {
  kind: FailureKind;
  retryable: boolean;
  status?: number;
  /** The API's error type (`overloaded_error`, …) when it sent one. */
  type?: string;
  /** The API's or the runtime's own message, for logs and the operator. */
  detail: string;
  requestId?: string;
  /** Delay the API asked for (retry-after-ms / retry-after), in ms. */
  retryAfterMs?: number;
}

/** Raised inside an attempt when our own deadline (not the caller) aborted it. */
export class AttemptTimeoutError extends Error {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, what: string) {
    super(`${what} after ${timeoutMs} ms`);
    this.name = "AttemptTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get("retry-after");
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function fromApiError(error: APIError): ModelFailure {
  const status = error.status;
  const type = error.type ?? undefined;
  const detail = error.apiMessage ?? error.message;
  const base = { status, type, detail, requestId: error.requestID ?? undefined, retryAfterMs: retryAfterMs(error.headers) };
  // The API may say explicitly whether a retry can help.
  const shouldRetry = error.headers?.get("x-should-retry");

  if (type === "overloaded_error" || status === 529) return { ...base, kind: "overloaded", retryable: shouldRetry !== "false" };
  if (status === 429 || type === "rate_limit_error") return { ...base, kind: "rate_limited", retryable: shouldRetry !== "false" };
  if (status === 401 || type === "authentication_error") return { ...base, kind: "authentication", retryable: false };
  if (status === 402 || type === "billing_error") return { ...base, kind: "billing", retryable: false };
  if (status === 403 || type === "permission_error") return { ...base, kind: "permission", retryable: false };
  if (status === 404 || type === "not_found_error") return { ...base, kind: "not_found", retryable: false };
  if (status === 413) return { ...base, kind: "too_large", retryable: false };
  if (status === 408 || type === "timeout_error") return { ...base, kind: "timeout", retryable: shouldRetry !== "false" };
  if (status === 400 || type === "invalid_request_error") {
    const tooLong = /prompt is too long|context (window|length)|too many tokens/i.test(detail);
    return { ...base, kind: tooLong ? "prompt_too_long" : "invalid_request", retryable: false };
  }
  // 5xx, and stream `error` events without a status (type api_error): transient on the API's side.
  if (status === undefined || status >= 500 || type === "api_error") {
    return { ...base, kind: "server", retryable: shouldRetry !== "false" };
  }
  return { ...base, kind: "unexpected", retryable: shouldRetry === "true" };
}

/** Classifies anything a model call can throw. */
export function classifyFailure(error: unknown): ModelFailure {
  if (error instanceof AttemptTimeoutError) return { kind: "timeout", retryable: true, detail: error.message };
  if (error instanceof APIUserAbortError) return { kind: "cancelled", retryable: false, detail: "the request was cancelled" };
  if (error instanceof APIConnectionTimeoutError) return { kind: "timeout", retryable: true, detail: error.message };
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? (error.cause.cause instanceof Error ? error.cause.cause : error.cause) : undefined;
    return { kind: "connection", retryable: true, detail: cause ? `${error.message} (${cause.message})` : error.message };
  }
  if (error instanceof APIError) return fromApiError(error);
  const detail = error instanceof Error ? error.message : String(error);
  return { kind: "unexpected", retryable: false, detail };
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * The typed error for a failure after all attempts: `message` is for operators and logs (it says what
 * to do), `userMessage` is safe for a GitHub comment (no hosts, no keys).
 */
export function toModelError(
  failure: ModelFailure,
  context: { model: string; attempts: number; timeoutMs: number },
  cause?: unknown,
): ModelError {
  const code = [failure.status, failure.type].filter((v) => v !== undefined).join(" ");
  const api = code ? ` (${code}: ${failure.detail})` : ` (${failure.detail})`;
  const tries = context.attempts === 1 ? "1 attempt" : `${context.attempts} attempts`;
  const ref = failure.requestId ? ` [request ${failure.requestId}]` : "";
  let message: string;
  let userMessage: string;
  switch (failure.kind) {
    case "authentication":
      message = `The Anthropic API key was rejected${api}: set ANTHROPIC_API_KEY to a valid key.`;
      userMessage = "The model API rejected codegen's credentials; the app's operator must set a valid ANTHROPIC_API_KEY.";
      break;
    case "billing":
      message = `The Anthropic account cannot be billed${api}: add credits or fix billing in the Anthropic console.`;
      userMessage = "The model API refused the request for billing reasons; the app's operator must fix the Anthropic account.";
      break;
    case "permission":
      message = `The Anthropic API key may not use model "${context.model}" or this feature${api}: check the key's workspace permissions or choose another model.`;
      userMessage = `The API key may not use model "${context.model}"; choose another \`model\` in .github/codegen.yml or ask the app's operator.`;
      break;
    case "not_found":
      message = `The model "${context.model}" was not found${api}: set \`model\` in .github/codegen.yml (or the app's default model) to a valid model id.`;
      userMessage = `The model "${context.model}" does not exist; set a valid \`model\` in .github/codegen.yml.`;
      break;
    case "prompt_too_long":
      message = `The prompt is larger than the model's context window${api}: lower the context budget or split the task.`;
      userMessage = "The prompt grew larger than the model's context window; try a smaller task or lower the context budget.";
      break;
    case "too_large":
      message = `The request body was too large for the model API${api}: lower the context budget.`;
      userMessage = "The request to the model was too large; try a smaller task.";
      break;
    case "invalid_request":
      message = `The model API rejected the request${api}. This is likely a codegen bug; report it with the request id.${ref}`;
      userMessage = "The model API rejected codegen's request; this is likely a bug in codegen.";
      break;
    case "rate_limited":
      message = `The model API kept rate-limiting requests after ${tries}${api}: try again later or raise the organisation's rate limits.`;
      userMessage = "The model API is rate-limiting codegen; try again in a few minutes.";
      break;
    case "overloaded":
      message = `The model API is overloaded (still after ${tries})${api}; try again later.`;
      userMessage = "The model API is overloaded; try again later.";
      break;
    case "server":
      message = `The model API failed with an internal error after ${tries}${api}; try again later.${ref}`;
      userMessage = "The model API had an internal error; try again later.";
      break;
    case "timeout":
      message = `The model API did not answer within ${seconds(context.timeoutMs)} (${tries}; ${failure.detail}); try again later or raise the model timeout.`;
      userMessage = "The model API did not answer in time; try again later.";
      break;
    case "connection":
      message = `Could not connect to the model API after ${tries} (${failure.detail}): check network access to the Anthropic API and ANTHROPIC_BASE_URL.`;
      userMessage = "codegen could not reach the model API; try again later.";
      break;
    case "cancelled":
      message = "The model request was cancelled.";
      userMessage = "The job was cancelled.";
      break;
    default:
      message = `The model call failed unexpectedly${api}.${ref}`;
      userMessage = "The model call failed unexpectedly; try again later.";
  }
  const transient = ["rate_limited", "overloaded", "server", "timeout", "connection"].includes(failure.kind);
  return new ModelError(message, { status: failure.status, retryable: transient, cause, userMessage });
}
