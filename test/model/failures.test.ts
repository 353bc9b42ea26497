import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { AttemptTimeoutError, classifyFailure, toModelError } from "../../src/model/failures.js";

const apiError = (status: number | undefined, type: string, message: string, headers: Record<string, string> = {}) =>
  APIError.generate(status, { type: "error", error: { type, message } }, undefined, status === undefined ? undefined : new Headers(headers)) as APIError;

describe("classifyFailure", () => {
  it.each([
    [apiError(401, "authentication_error", "invalid x-api-key"), "authentication", false],
    [apiError(402, "billing_error", "credit balance too low"), "billing", false],
    [apiError(403, "permission_error", "no"), "permission", false],
    [apiError(404, "not_found_error", "model: x"), "not_found", false],
    [apiError(413, "request_too_large", "too big"), "too_large", false],
    [apiError(400, "invalid_request_error", "prompt is too long: 300000 tokens > 200000 maximum"), "prompt_too_long", false],
    [apiError(400, "invalid_request_error", "messages: bad"), "invalid_request", false],
    [apiError(429, "rate_limit_error", "slow down"), "rate_limited", true],
    [apiError(529, "overloaded_error", "Overloaded"), "overloaded", true],
    [apiError(500, "api_error", "boom"), "server", true],
    [apiError(503, "api_error", "unavailable"), "server", true],
    [apiError(500, "api_error", "boom", { "x-should-retry": "false" }), "server", false],
    [apiError(504, "timeout_error", "gateway"), "timeout", true],
    [new APIConnectionTimeoutError(), "timeout", true],
    [new APIConnectionError({ message: "Connection error." }), "connection", true],
    [new APIUserAbortError(), "cancelled", false],
    [new AttemptTimeoutError(100, "the response stream stalled"), "timeout", true],
    [new Error("something else"), "unexpected", false],
    ["a string", "unexpected", false],
  ])("%s → %s (retryable %s)", (error, kind, retryable) => {
    const failure = classifyFailure(error);
    expect(failure.kind).toBe(kind);
    expect(failure.retryable).toBe(retryable);
  });

  it("reads retry-after-ms before retry-after, and dates", () => {
    expect(classifyFailure(apiError(429, "rate_limit_error", "x", { "retry-after-ms": "250", "retry-after": "9" })).retryAfterMs).toBe(250);
    expect(classifyFailure(apiError(429, "rate_limit_error", "x", { "retry-after": "2" })).retryAfterMs).toBe(2000);
    const date = new Date(Date.now() + 60_000).toUTCString();
    expect(classifyFailure(apiError(429, "rate_limit_error", "x", { "retry-after": date })).retryAfterMs).toBeGreaterThan(50_000);
  });
});

describe("toModelError", () => {
  const context = { model: "claude-x", attempts: 3, timeoutMs: 120_000 };
  it.each([
    ["authentication", /set ANTHROPIC_API_KEY/, /operator must set a valid ANTHROPIC_API_KEY/],
    ["billing", /add credits/, /billing/],
    ["not_found", /"claude-x" was not found/, /set a valid `model` in \.github\/codegen\.yml/],
    ["rate_limited", /after 3 attempts.*try again later/, /try again in a few minutes/],
    ["overloaded", /overloaded.*try again later/, /overloaded; try again later/],
    ["timeout", /within 120 s \(3 attempts/, /did not answer in time/],
    ["connection", /check network access/, /could not reach/],
  ] as const)("%s says what to do", (kind, message, userMessage) => {
    const error = toModelError({ kind, retryable: true, detail: "detail" }, context);
    expect(error.message).toMatch(message);
    expect(error.userMessage).toMatch(userMessage);
    expect(error.userMessage).not.toMatch(/127\.0\.0\.1|http/);
  });
});
