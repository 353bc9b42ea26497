/**
 * A minimal method + path router for the REST stand-in. Hand-written because Probot 14 dropped
 * express and the stand-in needs nothing beyond `:param` and a trailing `*rest` segment.
 */

export type AppPermission = "contents" | "issues" | "pull_requests" | "checks" | "metadata" | "workflows" | "administration";
export type AccessLevel = "read" | "write";

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The installation a token belongs to (installation-token routes). */
  installationId: number | undefined;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  /** Bytes or text to send as-is instead of JSON. */
  raw?: Buffer | string;
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

export const validationFailed = (errors: Record<string, unknown>[], message = "Validation Failed"): HttpError =>
  new HttpError(422, message, { errors });

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  /** "app" routes take the app JWT; "installation" routes take an installation token. */
  auth: "app" | "installation";
  /** Any one of these grants access (e.g. issues:write or pull_requests:write for PR comments). */
  permissions: `${AppPermission}:${AccessLevel}`[];
  handler: (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;
}

export function compile(path: string): { pattern: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) {
        keys.push(segment.slice(1));
        return "([^/]+)";
      }
      if (segment.startsWith("*")) {
        keys.push(segment.slice(1));
        return "(.*)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
    })
    .join("/");
  return { pattern: new RegExp(`^${source}/?$`), keys };
}

export function match(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    route.keys.forEach((key, i) => {
      params[key] = decodeURIComponent(found[i + 1] ?? "");
    });
    return { route, params };
  }
  return null;
}
