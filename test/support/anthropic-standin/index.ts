import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Step } from "./steps.js";
import { PromptCacheSim, estimateOutputTokens } from "./usage.js";
import { validateRequest } from "./validate.js";
import { errorBody, makeMessage, makeUsage, newId, sse, streamEvents } from "./wire.js";

export * from "./steps.js";
export { promptBlocks } from "./usage.js";

/**
 * A local stand-in for the Anthropic Messages API (`POST /v1/messages`) that the real
 * `@anthropic-ai/sdk` talks to through `baseURL`. Responses are scripted per test; usage (including
 * prompt-cache reads and writes) is computed from the requests, so tests can assert caching works.
 */
export interface RecordedRequest {
  /** Position among all requests received, from 0. */
  index: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: Record<string, unknown> | undefined;
  stream: boolean;
  /** Status the stand-in answered with (set once answered; a hung request has none). */
  status?: number;
  /** The usage reported to the client for a message answer. */
  usage?: { input_tokens: number; output_tokens: number; cache_creation_input_tokens?: number | null; cache_read_input_tokens?: number | null };
}

export type ScriptHandler = (request: RecordedRequest, index: number) => Step | undefined | Promise<Step | undefined>;

export interface AnthropicStandIn {
  /** Base URL to give the SDK (`new Anthropic({ baseURL })`). */
  url: string;
  /** Every request received, in order, including rejected ones. */
  requests: RecordedRequest[];
  /** Queue steps (answered in order), or set a handler used once the queue is empty. */
  script(...steps: Step[]): void;
  script(handler: ScriptHandler): void;
  /** Steps still queued. */
  remaining(): number;
  close(): Promise<void>;
}

export interface StandInOptions {
  apiKey: string;
  /** Prefixes shorter than this are not cached. Default 0; the real API needs 1024+ tokens. */
  minCacheableTokens?: number;
  /** Block boundaries looked back from each breakpoint for a cache hit (the API documents about 20). */
  cacheLookbackBlocks?: number;
}

const SCRIPT_EXHAUSTED =
  "anthropic stand-in: the test script ran out of steps (no queued step and no handler answered); " +
  "the code under test made more model requests than the test scripted";

export async function startAnthropicStandIn(options: StandInOptions): Promise<AnthropicStandIn> {
  const requests: RecordedRequest[] = [];
  const queue: Step[] = [];
  let handler: ScriptHandler | undefined;
  let scriptedCalls = 0;
  const cache = new PromptCacheSim({
    minCacheableTokens: options.minCacheableTokens ?? 0,
    lookbackBlocks: options.cacheLookbackBlocks ?? 20,
  });
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const sendJson = (res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}) => {
    record.status = status;
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  const sendError = (
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    type: string,
    text: string,
    headers: Record<string, string> = {},
  ) => {
    const requestId = newId("req");
    sendJson(res, record, status, errorBody(type, text, requestId), { "request-id": requestId, ...headers });
  };

  const nextStep = async (record: RecordedRequest): Promise<Step | undefined> => {
    const index = scriptedCalls++;
    const queued = queue.shift();
    if (queued) return queued;
    return handler ? await handler(record, index) : undefined;
  };

  async function answer(res: ServerResponse, record: RecordedRequest, step: Step): Promise<void> {
    const body = record.body as Record<string, unknown>;
    switch (step.kind) {
      case "delay":
        await sleep(step.ms);
        if (res.destroyed) return;
        return answer(res, record, step.then);
      case "hang":
        if (step.stage === "body") {
          record.status = 200;
          res.writeHead(200, { "content-type": record.stream ? "text/event-stream; charset=utf-8" : "application/json" });
          if (record.stream) res.write(sse("message_start", { type: "message_start", message: placeholderMessage(body) }));
          else res.write('{"id":"msg_');
        }
        return; // left open until the client gives up or close() is called
      case "drop":
        record.status = 200;
        res.writeHead(200, { "content-type": record.stream ? "text/event-stream; charset=utf-8" : "application/json" });
        res.write(record.stream ? sse("message_start", { type: "message_start", message: placeholderMessage(body) }) : '{"id":"msg_');
        await new Promise<void>((resolve) => setImmediate(resolve));
        res.socket?.destroy();
        return;
      case "error":
        if (step.midStream && record.stream) {
          record.status = 200;
          const requestId = newId("req");
          res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "request-id": requestId });
          res.write(sse("message_start", { type: "message_start", message: placeholderMessage(body) }));
          res.end(sse("error", errorBody(step.type, step.message, requestId)));
          return;
        }
        return sendError(res, record, step.status, step.type, step.message, step.headers);
      case "message": {
        const computed = cache.account(body);
        const usage = makeUsage({
          input_tokens: step.usage?.input_tokens ?? computed.input_tokens,
          cache_creation_input_tokens: step.usage?.cache_creation_input_tokens ?? computed.cache_creation_input_tokens,
          cache_read_input_tokens: step.usage?.cache_read_input_tokens ?? computed.cache_read_input_tokens,
          output_tokens: step.usage?.output_tokens ?? estimateOutputTokens(step.content),
        });
        const message = makeMessage(step, String(body.model), usage);
        record.usage = usage;
        const requestId = newId("req");
        if (!record.stream) return sendJson(res, record, 200, message, { "request-id": requestId });
        record.status = 200;
        res.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache",
          "request-id": requestId,
        });
        // Write events one by one so the client's SSE parser sees them arrive in separate chunks.
        for (const { event, data } of streamEvents(message)) {
          if (res.destroyed) return;
          res.write(sse(event, data));
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        res.end();
        return;
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const piece of req) chunks.push(piece as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: Record<string, unknown> | undefined;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = {
      index: requests.length,
      method: req.method ?? "",
      path: (req.url ?? "").split("?")[0],
      headers: { ...req.headers },
      body,
      stream: body?.stream === true,
    };
    requests.push(record);

    if (record.method !== "POST" || record.path !== "/v1/messages") {
      return sendError(res, record, 404, "not_found_error", `Not found: ${record.method} ${record.path}`);
    }
    // SDK 1.x sends the key as `Authorization: Bearer`; older clients and curl use `x-api-key`.
    const authorization = req.headers.authorization;
    const presented = req.headers["x-api-key"] ?? (authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined);
    if (presented !== options.apiKey) {
      return sendError(res, record, 401, "authentication_error", presented === undefined ? "x-api-key header is required" : "invalid x-api-key");
    }
    if (!req.headers["anthropic-version"]) {
      return sendError(res, record, 400, "invalid_request_error", "anthropic-version: header is required");
    }
    if (body === undefined) {
      return sendError(res, record, 400, "invalid_request_error", "There was an error parsing the body of your request as JSON");
    }
    const invalid = validateRequest(body);
    if (invalid) return sendError(res, record, 400, "invalid_request_error", invalid);

    const step = await nextStep(record);
    if (!step) return sendError(res, record, 500, "api_error", SCRIPT_EXHAUSTED);
    await answer(res, record, step);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify(errorBody("api_error", `anthropic stand-in crashed: ${String(err)}`, newId("req"))));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  function script(...args: Step[] | [ScriptHandler]): void {
    if (args.length === 1 && typeof args[0] === "function") handler = args[0];
    else queue.push(...(args as Step[]));
  }

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script,
    remaining: () => queue.length,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The message_start payload sent before a mid-stream error or stall. */
function placeholderMessage(body: Record<string, unknown>) {
  return {
    id: newId("msg"),
    type: "message",
    role: "assistant",
    model: String(body.model),
    content: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: makeUsage({ input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }),
  };
}
