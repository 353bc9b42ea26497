import { constants } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import type { Tool } from "@anthropic-ai/sdk/resources/messages";
import picomatch from "picomatch";
import { z } from "zod";
import type { ToolResult } from "./types.js";
import { SKIPPED_DIRECTORIES, WORKSPACE_ROOT, createWorkspaceGuard, decodeText, type WorkspaceGuard, type WorkspacePolicy } from "./workspace-guard.js";

export const SEARCH_TOOL_NAME = "search";

export function searchToolDefinition(): Tool {
  return {
    name: SEARCH_TOOL_NAME,
    description:
      "Search the repository's text files for a literal string (default) or a JavaScript regular expression, line by line. " +
      "Returns matching lines as `path:line: text`, at most max_results of them. Skips .git, node_modules, binary files, " +
      "large files and protected paths. Narrow a search with `path` (a directory or file) and `glob` (e.g. `**/*.ts` or `*.py`).",
    input_schema: {
      type: "object",
      properties: {
        pattern: { type: "string", description: "Text to look for, or a regular expression when regex is true." },
        regex: { type: "boolean", description: "Treat pattern as a JavaScript regular expression. Default false." },
        case_sensitive: { type: "boolean", description: "Default true." },
        path: { type: "string", description: "Directory or file to search, relative to the repository root. Default: the whole repository." },
        glob: { type: "string", description: "Only files whose repository path matches this glob; a glob without `/` matches file names." },
        max_results: { type: "integer", minimum: 1, maximum: 500, description: "Default 100." },
      },
      required: ["pattern"],
    },
  };
}

const inputSchema = z.object({
  pattern: z.string().min(1).max(1000),
  regex: z.boolean().default(false),
  case_sensitive: z.boolean().default(true),
  path: z.string().optional(),
  glob: z.string().min(1).max(500).optional(),
  max_results: z.number().int().min(1).max(500).optional(),
});

export interface SearchOptions extends WorkspacePolicy {
  /** Default number of results; the model may ask for up to 500. Default 100. */
  maxResults?: number;
  /** Longer matching lines are cut. Default 300 characters. */
  maxLineLength?: number;
  /** The matching runs in a worker that is stopped after this long (a regex can backtrack forever). Default 5 s. */
  timeoutMs?: number;
  /** Bounds on one search's walk. Defaults 20 000 files and 64 MiB of text. */
  maxFiles?: number;
  maxTotalBytes?: number;
}

export interface Search {
  execute(input: unknown): Promise<ToolResult>;
}

interface FileText {
  path: string;
  text: string;
}

interface Collected {
  files: FileText[];
  skipped: number;
  stoppedEarly: boolean;
}

/**
 * Runs in a worker thread so a catastrophic regular expression can be stopped with terminate();
 * plain JavaScript source because the worker evaluates it directly (no TypeScript loader there).
 */
const MATCH_WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { source, flags, files, maxResults, maxLineLength } = workerData;
const re = new RegExp(source, flags);
const matches = [];
let total = 0;
for (const file of files) {
  const lines = file.text.split("\\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith("\\r")) line = line.slice(0, -1);
    if (!re.test(line)) continue;
    total++;
    if (matches.length < maxResults) {
      matches.push(file.path + ":" + (i + 1) + ": " + (line.length > maxLineLength ? line.slice(0, maxLineLength) + "…" : line));
    }
  }
}
parentPort.postMessage({ matches, total });
`;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Searches the workspace: walks with lstat (never following links) and matches in a bounded worker. */
export function createSearch(options: SearchOptions): Search {
  const guard = createWorkspaceGuard(options);
  const defaultResults = options.maxResults ?? 100;
  const maxLineLength = options.maxLineLength ?? 300;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxFiles = options.maxFiles ?? 20_000;
  const maxTotalBytes = options.maxTotalBytes ?? 64 * 1024 * 1024;

  async function execute(input: unknown): Promise<ToolResult> {
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
      return { content: `Invalid input for ${SEARCH_TOOL_NAME}: ${detail}.`, isError: true };
    }
    const query = parsed.data;
    const flags = query.case_sensitive ? "" : "i";
    const source = query.regex ? query.pattern : escapeRegExp(query.pattern);
    try {
      new RegExp(source, flags);
    } catch (err) {
      return { content: `Invalid regular expression: ${(err as Error).message}.`, isError: true };
    }
    const scope = guard.check(query.path ?? WORKSPACE_ROOT, "read");
    if (!scope.ok) return { content: scope.reason, isError: true };
    const inspected = await guard.inspect(scope.value);
    if (!inspected.ok) return { content: inspected.reason, isError: true };
    if (!inspected.value.stats) return { content: `${scope.value} does not exist.`, isError: true };

    const globMatch = query.glob ? picomatch(query.glob, { dot: true, basename: !query.glob.includes("/") }) : undefined;
    const maxResults = query.max_results ?? defaultResults;
    let collected: Collected;
    let outcome: Awaited<ReturnType<typeof matchInWorker>>;
    try {
      collected = await collect(guard, scope.value, inspected.value.stats.isDirectory(), globMatch, { maxFiles, maxTotalBytes });
      outcome = await matchInWorker({ source, flags, files: collected.files, maxResults, maxLineLength }, timeoutMs);
    } catch (err) {
      return { content: `The search failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, isError: true };
    }
    if (outcome === "timeout") {
      return {
        content: `The search took longer than ${timeoutMs / 1000} s and was stopped. Use a simpler pattern (or a literal search), or narrow it with path or glob.`,
        isError: true,
      };
    }
    const where = scope.value === "" ? "the repository" : scope.value;
    const notes: string[] = [];
    if (outcome.total > outcome.matches.length) {
      notes.push(`[Showing ${outcome.matches.length} of ${outcome.total} matching lines; narrow the search with path or glob.]`);
    }
    if (collected.stoppedEarly) notes.push(`[The search stopped after ${collected.files.length} files; narrow it with path or glob.]`);
    if (collected.skipped > 0) notes.push(`[${collected.skipped} binary, non-UTF-8 or oversized files were not searched.]`);
    const body = outcome.total === 0 ? `No matches for ${JSON.stringify(query.pattern)} in ${where}.` : outcome.matches.join("\n");
    return { content: [body, ...notes].join("\n"), isError: false };
  }

  return { execute };
}

async function collect(
  guard: WorkspaceGuard,
  start: string,
  isDirectory: boolean,
  globMatch: ((path: string) => boolean) | undefined,
  limits: { maxFiles: number; maxTotalBytes: number },
): Promise<Collected> {
  const result: Collected = { files: [], skipped: 0, stoppedEarly: false };
  let totalBytes = 0;

  const readFile = async (relative: string, size: number) => {
    if (size > guard.maxFileBytes || totalBytes + size > limits.maxTotalBytes) {
      if (totalBytes + size > limits.maxTotalBytes) result.stoppedEarly = true;
      else result.skipped += 1;
      return;
    }
    let handle;
    try {
      handle = await open(guard.absolute(relative), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      result.skipped += 1;
      return;
    }
    try {
      const text = decodeText(await handle.readFile());
      if (text === undefined) result.skipped += 1;
      else {
        totalBytes += size;
        result.files.push({ path: relative, text });
      }
    } finally {
      await handle.close();
    }
  };

  if (!isDirectory) {
    const stats = await lstat(guard.absolute(start));
    if (stats.isFile()) await readFile(start, stats.size);
    return result;
  }

  // Breadth-first, sorted, so results are stable and shallow files come first.
  const queue = [start];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const names = (await readdir(guard.absolute(dir))).sort();
    for (const name of names) {
      if (result.files.length >= limits.maxFiles || result.stoppedEarly) {
        result.stoppedEarly = true;
        return result;
      }
      const relative = dir === "" ? name : `${dir}/${name}`;
      if (guard.isProtected(relative)) continue;
      const stats = await lstat(guard.absolute(relative));
      if (stats.isSymbolicLink()) continue;
      if (stats.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(name)) queue.push(relative);
        continue;
      }
      if (!stats.isFile()) continue;
      if (globMatch && !globMatch(relative)) continue;
      await readFile(relative, stats.size);
    }
  }
  return result;
}

function matchInWorker(
  data: { source: string; flags: string; files: FileText[]; maxResults: number; maxLineLength: number },
  timeoutMs: number,
): Promise<{ matches: string[]; total: number } | "timeout"> {
  if (data.files.length === 0) return Promise.resolve({ matches: [], total: 0 });
  return new Promise((resolve, reject) => {
    const worker = new Worker(MATCH_WORKER_SOURCE, {
      eval: true,
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => resolve("timeout")), timeoutMs);
    worker.once("message", (message: { matches: string[]; total: number }) => finish(() => resolve(message)));
    worker.once("error", (err) => finish(() => reject(err)));
    worker.once("exit", (code) => finish(() => reject(new Error(`the search worker exited with code ${code}`))));
  });
}
