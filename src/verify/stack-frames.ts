/**
 * Keeps the stack frames that point into the repository and drops the rest (dependencies, the runtime, the
 * test runner itself). Frames come back as "path:line[:column][ in function]" with paths relative to the
 * workspace, so the model can open them and so signatures do not depend on where the workspace was mounted.
 */

export const DEFAULT_WORKSPACE_ROOT = "/workspace";

/** Path fragments that belong to dependencies, language runtimes or test runners, never to the repository. */
const FOREIGN_PATH =
  /(^|\/)node_modules\/|^node:|^internal\/|^<anonymous>|^native$|^evalmachine|(^|\/)(site|dist)-packages\/|^<frozen |(^|\/)_pytest\/|(^|\/)pluggy\/|(^|\/)lib\/python\d[\d.]*\/|^\/usr\/(lib|local|share)\/|\/go\/pkg\/mod\/|^_testmain\.go$|^\/opt\/hostedtoolcache\//;

/** Strips a `file://` URL prefix and the workspace root; returns null for paths outside the repository. */
export function repositoryPath(rawPath: string, workspaceRoot: string = DEFAULT_WORKSPACE_ROOT): string | null {
  let path = rawPath.trim();
  if (path.startsWith("file://")) path = path.slice("file://".length);
  const root = workspaceRoot.replace(/\/+$/, "");
  if (root !== "" && path.startsWith(`${root}/`)) path = path.slice(root.length + 1);
  else if (path.startsWith("/")) {
    // Absolute paths outside the workspace are the runtime or the runner unless nothing marks them as such,
    // and even then they are not somewhere the model can edit.
    return null;
  }
  if (path.startsWith("./")) path = path.slice(2);
  if (path === "" || FOREIGN_PATH.test(path)) return null;
  return path;
}

export interface Frame {
  path: string;
  line: number;
  column?: number;
  fn?: string;
}

export function formatFrame(frame: Frame): string {
  const location = `${frame.path}:${frame.line}${frame.column === undefined ? "" : `:${frame.column}`}`;
  return frame.fn ? `${location} in ${frame.fn}` : location;
}

/** `at fn (path:line:col)`, `at path:line:col`, `at async fn (path:line:col)` (V8 stack lines). */
const V8_FRAME = /^\s*at (?:async )?(?:(.+?) \((\S+?):(\d+):(\d+)\)|(\S+?):(\d+):(\d+))(?: \{)?$/;
/** Vitest's `❯ fn path:line:col` or `❯ path:line:col`. */
const VITEST_FRAME = /^\s*❯ (?:(\S+?) )?(\S+?):(\d+):(\d+)$/;

export function parseV8Frame(line: string): Frame | null {
  const m = V8_FRAME.exec(line);
  if (m) {
    return m[2] !== undefined
      ? { fn: cleanFunctionName(m[1]), path: m[2], line: Number(m[3]), column: Number(m[4]) }
      : { path: m[5], line: Number(m[6]), column: Number(m[7]) };
  }
  const v = VITEST_FRAME.exec(line);
  if (v) return { fn: v[1] ? cleanFunctionName(v[1]) : undefined, path: v[2], line: Number(v[3]), column: Number(v[4]) };
  return null;
}

export function isV8FrameLine(line: string): boolean {
  return /^\s*at \S/.test(line) || VITEST_FRAME.test(line);
}

/** Drops runner wrappers such as `Object.<anonymous>` or `Context.<anonymous>` that say nothing useful. */
function cleanFunctionName(fn: string | undefined): string | undefined {
  if (!fn) return undefined;
  const name = fn.replace(/ \[as [^\]]+\]$/, "").trim();
  if (/^(Object|Context|TestContext|Test|Suite)\.(<anonymous>|toBe|toEqual|toStrictEqual|exit|[a-z]\w*)$/.test(name)) {
    return undefined;
  }
  if (name === "<anonymous>" || name === "") return undefined;
  return name;
}

/** Repository frames among V8-style stack lines, deduplicated, in order. */
export function repositoryFramesFromV8(lines: string[], workspaceRoot: string, limit = 8): string[] {
  const frames: string[] = [];
  for (const line of lines) {
    const frame = parseV8Frame(line);
    if (!frame) continue;
    const path = repositoryPath(frame.path, workspaceRoot);
    if (path === null) continue;
    const text = formatFrame({ ...frame, path });
    if (!frames.includes(text)) frames.push(text);
    if (frames.length >= limit) break;
  }
  return frames;
}
