import type { TestFailure } from "../types.js";
import { dedent, dedentCommon } from "../output-text.js";
import { formatFrame, repositoryPath } from "../stack-frames.js";
import { commandRuns, dedupeFailures, type Counts, type ParseContext, type TestOutputParser } from "./parser.js";

/**
 * pytest's terminal reporter (default, `-q`, `-v`): `=== FAILURES ===` / `=== ERRORS ===` sections with one
 * `___ name ___` block per failure (`E` lines carry the message, `path:line: Exc` lines the frames), a
 * `short test summary info` section naming each failure by node id, and `=== 1 failed, 2 passed in 0.1s ===`.
 */

const SECTION = /^=+ (.+?) =+$/;
const BLOCK_HEADER = /^_{3,} (.+?) _{3,}$/;
const SUMMARY_ENTRY = /^(FAILED|ERROR) (\S+)(?: - (.*))?$/;
const LOCATION = /^(\S[^:\n]*?):(\d+):(?: (.*))?$/;
const FINAL = /^=*\s*((?:\d+ [a-z]+(?:, )?)+|no tests ran)(?: in [\d.]+s(?: \([\d:.]+\))?) ?=*$/;

export const pytestParser: TestOutputParser = {
  framework: "pytest",

  matchesCommand: (command) => commandRuns(command, /(^|[\s/])(py\.test|pytest|python[\d.]*\s+-m\s+pytest)(\s|$)/),

  outputScore(text) {
    let score = 0;
    if (/^=+ test session starts =+$/m.test(text)) score += 0.7;
    if (/^=+ short test summary info =+$/m.test(text)) score += 0.3;
    if (/^=*[ \t]*\d+ (passed|failed|error|errors|skipped)\b.* in [\d.]+s\b/m.test(text)) score += 0.5;
    if (/^platform \S+ -- Python \d/m.test(text)) score += 0.3;
    return Math.min(score, 1);
  },

  parse(text, context) {
    const lines = text.split("\n");
    const blocks = readBlocks(lines);
    const summary = readShortSummary(lines);
    const failures: TestFailure[] = [];
    const used = new Set<string>();
    for (const entry of summary) {
      const key = headerKeyOfNodeId(entry.nodeId);
      const body = blocks.get(key);
      if (body) used.add(key);
      failures.push(failureFrom(entry.nodeId, body, entry.message, context));
    }
    // Blocks without a summary entry (`-rN`, or output cut before the summary).
    for (const [key, body] of blocks) {
      if (used.has(key)) continue;
      failures.push(failureFrom(nodeIdFromBlock(key, body, context), body, "", context));
    }
    if (summary.length === 0 && blocks.size === 0) failures.push(...verboseOnly(lines));
    const crash = fatalError(lines, context);
    if (crash) failures.push(crash);
    return { failures: dedupeFailures(failures), counts: parseCounts(lines) };
  },
};

/** Maps a block header key (see `headerKey`) to its lines. */
function readBlocks(lines: string[]): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const sectionMatch = SECTION.exec(lines[i]);
    if (sectionMatch) {
      section = sectionMatch[1];
      continue;
    }
    if (section !== "FAILURES" && section !== "ERRORS") continue;
    const header = BLOCK_HEADER.exec(lines[i]);
    if (!header) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !BLOCK_HEADER.test(lines[j]) && !SECTION.test(lines[j]); j++) body.push(lines[j]);
    const key = headerKey(header[1]);
    if (!blocks.has(key)) blocks.set(key, body);
    i = j - 1;
  }
  return blocks;
}

function headerKey(header: string): string {
  return header.replace(/^ERROR at (setup|teardown) of /, "").replace(/^ERROR collecting /, "").trim();
}

/** `tests/a.py::TestX::test_y[1]` is headed `TestX.test_y[1]`; a collection error is headed by its path. */
function headerKeyOfNodeId(nodeId: string): string {
  const at = nodeId.indexOf("::");
  return at < 0 ? nodeId : nodeId.slice(at + 2).replace(/::/g, ".");
}

function nodeIdFromBlock(key: string, body: string[], context: ParseContext): string {
  if (/\.py$/.test(key) || key.includes("/")) return key;
  const first = body.map((l) => LOCATION.exec(l)).find((m) => m && repositoryPath(m[1], context.workspaceRoot));
  const file = first ? repositoryPath(first[1], context.workspaceRoot) : null;
  const bracket = key.indexOf("[");
  const path = bracket < 0 ? key : key.slice(0, bracket);
  const params = bracket < 0 ? "" : key.slice(bracket);
  return `${file ? `${file}::` : ""}${path.replace(/\./g, "::")}${params}`;
}

interface SummaryEntry {
  nodeId: string;
  message: string;
}

function readShortSummary(lines: string[]): SummaryEntry[] {
  const entries: SummaryEntry[] = [];
  const start = lines.findIndex((l) => /^=+ short test summary info =+$/.test(l));
  if (start < 0) return entries;
  for (let i = start + 1; i < lines.length; i++) {
    if (SECTION.test(lines[i]) || FINAL.test(lines[i]) || /^!{3,}/.test(lines[i])) break;
    const m = SUMMARY_ENTRY.exec(lines[i]);
    if (m) {
      entries.push({ nodeId: m[2], message: m[3] ?? "" });
    } else if (entries.length > 0 && !/^(XFAIL|XPASS|SKIPPED|PASSED) /.test(lines[i])) {
      entries[entries.length - 1].message += `\n${lines[i]}`;
    }
  }
  return entries;
}

function failureFrom(nodeId: string, body: string[] | undefined, summaryMessage: string, context: ParseContext): TestFailure {
  const file = nodeId.split("::")[0];
  const lines = body ?? [];
  const eLines = lines.filter((l) => /^E( |$)/.test(l)).map((l) => l.slice(1));
  const message = eLines.length > 0 ? dedentCommon(eLines) : dedent(summaryMessage.split("\n"));
  const frames: string[] = [];
  for (const line of lines) {
    // `path:line: Exc` traceback entries, and `File "path", line N` inside a SyntaxError message.
    const m = LOCATION.exec(line) ?? /^E\s+File "(.+?)", line (\d+)()/.exec(line);
    if (!m) continue;
    const path = repositoryPath(m[1], context.workspaceRoot);
    if (path === null) continue;
    const fn = /^in (\S+)/.exec(m[3] ?? "")?.[1];
    const frame = formatFrame({ path, line: Number(m[2]), fn });
    if (!frames.includes(frame)) frames.push(frame);
  }
  // pytest prints the outermost entry first; frames are innermost first, as in the other runners.
  frames.reverse();
  const failure: TestFailure = { name: nodeId, message: message || nodeId, frames };
  if (/\.py$/.test(file)) failure.file = repositoryPath(file, context.workspaceRoot) ?? file;
  return failure;
}

/** `-v` progress lines, the only record when the output was cut before the failure sections. */
function verboseOnly(lines: string[]): TestFailure[] {
  return lines
    .map((l) => /^(\S+\.py::\S+) (FAILED|ERROR)\b/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1], file: m[1].split("::")[0], message: m[2], frames: [] }));
}

/** `Fatal Python error: Segmentation fault` and faulthandler's traceback: the interpreter died mid-test. */
function fatalError(lines: string[], context: ParseContext): TestFailure | null {
  const at = lines.findIndex((l) => /Fatal Python error: /.test(l));
  if (at < 0) return null;
  const message = lines[at].slice(lines[at].indexOf("Fatal Python error: "));
  const frames: string[] = [];
  let testName: string | undefined;
  for (const line of lines.slice(at + 1)) {
    const m = /^\s*File "(.+?)", line (\d+) in (\S+)/.exec(line);
    if (!m) continue;
    const path = repositoryPath(m[1], context.workspaceRoot);
    if (path === null) continue;
    frames.push(formatFrame({ path, line: Number(m[2]), fn: m[3] }));
    if (!testName && /^test/.test(m[3])) testName = `${path}::${m[3]}`;
  }
  const failure: TestFailure = { name: testName ?? "pytest crashed", message, frames };
  if (testName) failure.file = testName.split("::")[0];
  return failure;
}

function parseCounts(lines: string[]): Counts | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = FINAL.exec(lines[i]);
    if (!m) continue;
    const count = (pattern: string) => Number(new RegExp(`(\\d+) (?:${pattern})\\b`).exec(m[1])?.[1] ?? 0);
    const passed = count("passed") + count("xpassed");
    const failed = count("failed") + count("errors?");
    const skipped = count("skipped") + count("xfailed");
    return { passed, failed, skipped, total: passed + failed + skipped };
  }
  return null;
}
