import { spawn, execFileSync } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { standInGitEnv } from "./git-repos.js";

const httpBackend = join(execFileSync("git", ["--exec-path"]).toString().trim(), "git-http-backend");

/**
 * Serve git smart HTTP through git's own CGI, `git http-backend`: the real protocol, so the app's git
 * client is tested against exactly what it meets on GitHub (minus GitHub's extra checks, which the
 * caller and the pre-receive hook add).
 */
export function serveGitHttp(
  req: IncomingMessage,
  res: ServerResponse,
  options: { projectRoot: string; pathInfo: string; query: string; extraEnv: Record<string, string> },
): Promise<number> {
  return new Promise((resolve) => {
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const env: Record<string, string> = standInGitEnv({
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: options.pathInfo,
      QUERY_STRING: options.query,
      REMOTE_USER: "x-access-token",
      REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
      GATEWAY_INTERFACE: "CGI/1.1",
      ...options.extraEnv,
    });
    const contentType = header("content-type");
    if (contentType) env.CONTENT_TYPE = contentType;
    const contentLength = header("content-length");
    if (contentLength) env.CONTENT_LENGTH = contentLength;
    const encoding = header("content-encoding");
    if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
    const protocol = header("git-protocol");
    if (protocol) env.HTTP_GIT_PROTOCOL = protocol;

    const child = spawn(httpBackend, [], { env, stdio: ["pipe", "pipe", "pipe"] });
    req.pipe(child.stdin);
    child.stdin.on("error", () => {});
    const stderr: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));

    let head = Buffer.alloc(0);
    let status = 200;
    let headersSent = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf("\r\n\r\n");
      const lf = head.indexOf("\n\n");
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
      if (end < 0) return;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headersSent = true;
      res.write(head.subarray(end));
    });
    child.on("close", (code) => {
      if (!headersSent) {
        status = 500;
        res.writeHead(500, { "content-type": "text/plain" });
        res.write(`git http-backend failed (${code}): ${Buffer.concat(stderr).toString("utf8")}`);
      }
      res.end();
      resolve(status);
    });
  });
}
