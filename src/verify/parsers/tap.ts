import { parse as parseYaml } from "yaml";
import type { TestFailure } from "../types.js";
import { dedent } from "../output-text.js";
import { isV8FrameLine, repositoryFramesFromV8, repositoryPath } from "../stack-frames.js";
import { commandRuns, dedupeFailures, type Counts, type ParseContext, type ParsedTestOutput, type TestOutputParser } from "./parser.js";

/**
 * node:test and other TAP producers. Node 18 and 20 print TAP when stdout is not a terminal (CI); with
 * `--test-reporter=spec` they print a tree (`▶ suite`, `✔ test`, `✖ test`) followed by `ℹ tests 9` counts.
 * Both formats are handled here because both come from the same runner.
 */

export const tapParser: TestOutputParser = {
  framework: "tap",

  matchesCommand: (command) =>
    commandRuns(command, /(^|[\s/])node(\s+--?[\w-]+(=\S+)?)*\s+--test(\s|=|$)/) ||
    commandRuns(command, /(^|[\s/])(tap|tape|tsx --test)(\s|$)/),

  outputScore(text) {
    let score = 0;
    if (/^TAP version \d+/m.test(text)) score += 0.7;
    if (/^[ \t]*(not )?ok \d+ - /m.test(text)) score += 0.2;
    if (/^# (tests|pass|fail) \d+[ \t]*$/m.test(text)) score += 0.3;
    if (/^ℹ tests \d+[ \t]*$/m.test(text)) score += 0.8;
    if (/^ℹ (pass|fail|duration_ms) /m.test(text)) score += 0.2;
    return Math.min(score, 1);
  },

  parse(text, context) {
    return /^TAP version \d+/m.test(text) || !/^ℹ tests \d+/m.test(text)
      ? parseTap(text, context)
      : parseNodeSpec(text, context);
  },
};

// ---------------------------------------------------------------- TAP

const RESULT = /^( *)(not ok|ok)\b(?: +(\d+))?(?: *-)? *(.*)$/;
const DIRECTIVE = /\s+#\s*(SKIP|TODO)\b.*$/i;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;
const TAP_COUNT = /^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) [\d.]+$/;

interface OpenSubtest {
  name: string;
  indent: number;
  failuresBefore: number;
}

function parseTap(text: string, context: ParseContext): ParsedTestOutput {
  const lines = text.split("\n");
  const failures: TestFailure[] = [];
  const open: OpenSubtest[] = [];
  let diagnostics: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      open.push({ name: subtest[2].trim(), indent: subtest[1].length, failuresBefore: failures.length });
      continue;
    }
    if (/^# /.test(line) && !TAP_COUNT.test(line)) {
      diagnostics.push(line.slice(2));
      continue;
    }
    const result = RESULT.exec(line);
    if (!result) continue;
    const indent = result[1].length;
    const directive = DIRECTIVE.exec(result[4]);
    const name = result[4].replace(DIRECTIVE, "").trim();
    const { yaml, next } = readYamlBlock(lines, i + 1, indent);
    i = next - 1;
    while (open.length > 0 && open[open.length - 1].indent > indent) open.pop();
    let failuresBefore = failures.length;
    if (open.length > 0 && open[open.length - 1].indent === indent) failuresBefore = open.pop()!.failuresBefore;
    const ancestors = open.filter((o) => o.indent < indent).map((o) => o.name);
    const notes = indent === 0 ? diagnostics : [];
    if (indent === 0) diagnostics = [];
    if (result[2] === "ok" || directive) continue;
    // A suite fails when its children do; report the children, not the suite again.
    if (failures.length > failuresBefore || yaml.failureType === "subtestsFailed") continue;
    failures.push(tapFailure([...ancestors, name], yaml, notes, context));
  }
  return { failures: dedupeFailures(failures), counts: tapCounts(text) };
}

function readYamlBlock(lines: string[], start: number, indent: number): { yaml: Record<string, unknown>; next: number } {
  const pad = " ".repeat(indent + 2);
  if (lines[start] !== `${pad}---`) return { yaml: {}, next: start };
  const body: string[] = [];
  let j = start + 1;
  for (; j < lines.length && lines[j] !== `${pad}...`; j++) body.push(lines[j].startsWith(pad) ? lines[j].slice(pad.length) : lines[j].trimStart());
  let yaml: Record<string, unknown> = {};
  try {
    const parsed: unknown = parseYaml(body.join("\n"));
    if (parsed && typeof parsed === "object") yaml = parsed as Record<string, unknown>;
  } catch {
    yaml = { error: body.join("\n") };
  }
  return { yaml, next: j + 1 };
}

function tapFailure(path: string[], yaml: Record<string, unknown>, notes: string[], context: ParseContext): TestFailure {
  const name = path.map((part) => repositoryPath(part, context.workspaceRoot) ?? part).join(" > ");
  const error = typeof yaml.error === "string" ? yaml.error.trim() : "";
  const errorName = typeof yaml.name === "string" ? yaml.name : "";
  let message = errorName && error && !error.startsWith(errorName) ? `${errorName}: ${error}` : error || errorName;
  for (const key of ["expected", "actual"] as const) {
    const value = yaml[key];
    if (value !== undefined && (typeof value !== "object" || value === null) && !message.includes(String(value))) {
      message += `\n${key}: ${JSON.stringify(value)}`;
    }
  }
  if (typeof yaml.exitCode === "number") message += ` (exit code ${yaml.exitCode})`;
  const diagnostics = dedent(notes.filter((n) => !/^Node\.js v\d/.test(n) && !isV8FrameLine(n)));
  if (error === "test failed" && diagnostics) message = `${message}\n${diagnostics}`;
  const stack = typeof yaml.stack === "string" ? yaml.stack.split("\n").map((l) => `at ${l.trim()}`) : [];
  const location = typeof yaml.location === "string" ? /^(.*):(\d+):(\d+)$/.exec(yaml.location) : null;
  const file = location ? repositoryPath(location[1], context.workspaceRoot) : null;
  const frames = repositoryFramesFromV8(stack, context.workspaceRoot);
  if (frames.length === 0 && diagnostics) frames.push(...framesFromSyntaxError(notes, context));
  if (frames.length === 0 && file && location) frames.push(`${file}:${location[2]}:${location[3]}`);
  const failure: TestFailure = { name, message: message.trim() || name, frames };
  if (file) failure.file = file;
  return failure;
}

/** Node prints a load error as `/path/file.js:7` followed by the offending line and a caret. */
function framesFromSyntaxError(lines: string[], context: ParseContext): string[] {
  for (const line of lines) {
    const m = /^(\/\S+?):(\d+)\s*$/.exec(line.trim());
    const path = m ? repositoryPath(m[1], context.workspaceRoot) : null;
    if (path) return [`${path}:${m![2]}`];
  }
  return repositoryFramesFromV8(lines, context.workspaceRoot);
}

function tapCounts(text: string): Counts | null {
  const value = (key: string, prefix: string) => {
    const all = [...text.matchAll(new RegExp(`^${prefix} ${key} (\\d+)\\s*$`, "gm"))];
    return all.length > 0 ? Number(all[all.length - 1][1]) : null;
  };
  for (const prefix of ["#", "ℹ"]) {
    const tests = value("tests", prefix);
    if (tests === null) continue;
    return {
      passed: value("pass", prefix) ?? 0,
      failed: (value("fail", prefix) ?? 0) + (value("cancelled", prefix) ?? 0),
      skipped: (value("skipped", prefix) ?? 0) + (value("todo", prefix) ?? 0),
      total: tests,
    };
  }
  return null;
}

// ---------------------------------------------------------------- node:test spec reporter

const SPEC_LINE = /^( *)(▶|✔|✖|﹣) (.*?)(?: \(([\d.]+)ms\))?(?: # (SKIP|TODO)\b.*)?$/;

interface SpecEntry {
  name: string;
  indent: number;
  failuresBefore: number;
}

function parseNodeSpec(text: string, context: ParseContext): ParsedTestOutput {
  const all = text.split("\n");
  const summaryAt = all.findIndex((l) => /^ℹ tests \d+/.test(l));
  const lines = summaryAt >= 0 ? all.slice(0, summaryAt) : all;
  const failures: TestFailure[] = [];
  const suites: SpecEntry[] = [];
  let orphans: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = SPEC_LINE.exec(lines[i]);
    if (!m) {
      if (lines[i].trim() !== "") orphans.push(lines[i]);
      continue;
    }
    const [, pad, symbol, rawName, duration, directive] = m;
    const indent = pad.length;
    const name = rawName.trim();
    if (symbol === "▶" && duration === undefined) {
      suites.push({ name, indent, failuresBefore: failures.length });
      continue;
    }
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (SPEC_LINE.test(lines[j]) && /^\s*/.exec(lines[j])![0].length <= indent) break;
      if (lines[j].trim() !== "" && /^\s*/.exec(lines[j])![0].length <= indent) break;
      body.push(lines[j]);
    }
    i = j - 1;
    while (suites.length > 0 && suites[suites.length - 1].indent > indent) suites.pop();
    let failuresBefore = failures.length;
    const closing = suites.length > 0 && suites[suites.length - 1].indent === indent && suites[suites.length - 1].name === name;
    if (closing) failuresBefore = suites.pop()!.failuresBefore;
    const notes = indent === 0 ? orphans : [];
    if (indent === 0) orphans = [];
    if (symbol !== "✖" || directive) continue;
    if (closing && failures.length > failuresBefore) continue;
    const path = [...suites.filter((s) => s.indent < indent).map((s) => s.name), name];
    failures.push(specFailure(path, body, notes, context));
  }
  attachFiles(failures, all.slice(summaryAt >= 0 ? summaryAt : all.length), context);
  return { failures: dedupeFailures(failures), counts: tapCounts(text) };
}

function specFailure(path: string[], body: string[], notes: string[], context: ParseContext): TestFailure {
  const name = path.map((part) => repositoryPath(part, context.workspaceRoot) ?? part).join(" > ");
  const messageLines: string[] = [];
  for (const line of body) {
    if (isV8FrameLine(line)) break;
    messageLines.push(line);
  }
  let message = dedent(messageLines).replace(/^'(.*)'$/s, "$1");
  const frames = repositoryFramesFromV8(body, context.workspaceRoot);
  if (message === "test failed" && notes.length > 0) {
    message = `${message}\n${dedent(notes.filter((n) => !/^Node\.js v\d/.test(n) && !isV8FrameLine(n)))}`;
    if (frames.length === 0) frames.push(...framesFromSyntaxError(notes, context));
  }
  return { name, message: message || name, frames };
}

/** The `✖ failing tests:` section names each failure's file: `test at test/cart.test.js:17:5`. */
function attachFiles(failures: TestFailure[], tail: string[], context: ParseContext): void {
  const located: { name: string; file: string }[] = [];
  for (let i = 0; i + 1 < tail.length; i++) {
    const at = /^test at (\S+?):\d+:\d+$/.exec(tail[i]);
    const entry = at ? SPEC_LINE.exec(tail[i + 1]) : null;
    if (!at || !entry) continue;
    const file = repositoryPath(at[1], context.workspaceRoot) ?? at[1];
    located.push({ name: repositoryPath(entry[3].trim(), context.workspaceRoot) ?? entry[3].trim(), file });
  }
  for (const failure of failures) {
    const leaf = failure.name.split(" > ").pop()!;
    const index = located.findIndex((l) => l.name === leaf);
    if (index < 0) continue;
    failure.file = located[index].file;
    located.splice(index, 1);
  }
}
