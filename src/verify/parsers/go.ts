import type { TestFailure } from "../types.js";
import { dedent } from "../output-text.js";
import { formatFrame, repositoryPath } from "../stack-frames.js";
import { commandRuns, dedupeFailures, type Counts, type ParseContext, type TestOutputParser } from "./parser.js";

/**
 * `go test` (plain and `-v`): `--- FAIL: TestX (0.00s)` results with `file_test.go:12: message` log lines
 * (after the result without -v, before it with -v), panics with goroutine traces, `# pkg` build errors, and
 * one `ok`/`FAIL` line per package. Failures are named `package.TestName/subtest`, as gotestsum does.
 * Plain `go test` prints no test counts, so counts are only reported for `-v` output.
 */

const RUN = /^=== (RUN|CONT|NAME)\s+(\S+)/;
const RESULT = /^(\s*)--- (FAIL|PASS|SKIP): (\S+) \([\d.]+s\)/;
const LOG = /^(\s+)([\w.\-/]+\.go):(\d+): ?(.*)$/;
const PACKAGE = /^(ok|FAIL|\?)\s+(\S+)(?:\s+(.*))?$/;
const BUILD_HEADER = /^# (\S+)(?: \[.+\])?$/;

interface GoTest {
  name: string;
  failed: boolean;
  messages: string[];
  frames: string[];
}

export const goParser: TestOutputParser = {
  framework: "go",

  matchesCommand: (command) => commandRuns(command, /(^|[\s/])go\s+test(\s|$)/),

  outputScore(text) {
    let score = 0;
    if (/^(ok|FAIL)[ \t]+\S+[ \t]+(\(cached\)|[\d.]+s|\[build failed\]|\[setup failed\])/m.test(text)) score += 0.7;
    if (/^[ \t]*--- (FAIL|PASS): \S+ \([\d.]+s\)/m.test(text)) score += 0.4;
    if (/^=== RUN[ \t]+Test/m.test(text)) score += 0.3;
    return Math.min(score, 1);
  },

  parse(text, context) {
    const lines = text.split("\n");
    const failures: TestFailure[] = [];
    const results: { name: string; status: string }[] = [];
    let tests = new Map<string, GoTest>();
    let unclaimed: string[] = [];
    let buildErrors: string[] | null = null;
    let current: string | undefined;
    let lastFailed: { test: GoTest; indent: number } | undefined;
    let lastLog: string[] | undefined;
    let panic: { test?: GoTest; lines: string[] } | undefined;
    const testFor = (name: string) => {
      let test = tests.get(name);
      if (!test) tests.set(name, (test = { name, failed: false, messages: [], frames: [] }));
      return test;
    };

    for (const line of lines) {
      const pkg = PACKAGE.exec(line);
      if (pkg && pkg[2] !== undefined && (pkg[3] !== undefined || pkg[1] !== "FAIL")) {
        if (panic) finishPanic(panic, testFor, context);
        if (pkg[1] === "FAIL") failures.push(...packageFailures(pkg[2], pkg[3] ?? "", tests, buildErrors, unclaimed));
        tests = new Map();
        unclaimed = [];
        buildErrors = null;
        current = undefined;
        lastFailed = undefined;
        lastLog = undefined;
        panic = undefined;
        continue;
      }
      if (panic) {
        panic.lines.push(line);
        continue;
      }
      if (/^panic: /.test(line)) {
        // A timeout panics in the alarm goroutine: the hanging test is found from the trace instead.
        const timedOut = /^panic: test timed out/.test(line);
        panic = { test: timedOut ? undefined : (lastFailed?.test ?? (current !== undefined ? testFor(current) : undefined)), lines: [line] };
        continue;
      }
      const build = BUILD_HEADER.exec(line);
      if (build) {
        buildErrors = [];
        continue;
      }
      if (buildErrors) {
        buildErrors.push(line);
        continue;
      }
      const run = RUN.exec(line);
      if (run) {
        current = run[2];
        lastFailed = undefined;
        lastLog = undefined;
        continue;
      }
      const result = RESULT.exec(line);
      if (result) {
        results.push({ name: result[3], status: result[2] });
        lastLog = undefined;
        if (result[2] === "FAIL") {
          const test = testFor(result[3]);
          test.failed = true;
          lastFailed = { test, indent: result[1].length };
        } else {
          lastFailed = undefined;
        }
        continue;
      }
      const log = LOG.exec(line);
      if (log) {
        // Without -v the log follows its result, indented deeper; with -v it follows `=== RUN`.
        const owner =
          lastFailed && log[1].length > lastFailed.indent ? lastFailed.test : current !== undefined ? testFor(current) : undefined;
        if (owner) {
          owner.messages.push(log[4]);
          lastLog = owner.messages;
          const frame = formatFrame({ path: log[2], line: Number(log[3]) });
          if (!owner.frames.includes(frame)) owner.frames.push(frame);
          continue;
        }
      }
      if (lastLog && /^\s{5,}\S/.test(line) && !RESULT.test(line)) {
        lastLog[lastLog.length - 1] += `\n${line.trim()}`;
        continue;
      }
      if (line.trim() !== "" && line.trim() !== "FAIL" && line.trim() !== "PASS") unclaimed.push(line);
    }
    if (panic) finishPanic(panic, testFor, context);
    // Output cut before the package line: report what was seen, without a package.
    failures.push(...packageFailures("", "", tests, buildErrors, []));
    return { failures: dedupeFailures(failures), counts: /^=== RUN/m.test(text) ? verboseCounts(results) : null };
  },
};

function packageFailures(
  pkg: string,
  detail: string,
  tests: Map<string, GoTest>,
  buildErrors: string[] | null,
  unclaimed: string[],
): TestFailure[] {
  const qualify = (name: string) => (pkg ? `${pkg}.${name}` : name);
  if (/\[(build|setup) failed\]/.test(detail) || (pkg && buildErrors && buildErrors.length > 0)) {
    const errors = buildErrors ?? [];
    const frames = errors
      .map((l) => /^([\w.\-/]+\.go):(\d+):(\d+):/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]}:${m[2]}:${m[3]}`);
    const kind = /\[setup failed\]/.test(detail) ? "setup failed" : "build failed";
    return [{ name: `${pkg} [${kind}]`, message: dedent(errors) || kind, frames: [...new Set(frames)] }];
  }
  const failed = [...tests.values()].filter((t) => t.failed);
  const parents = parentNames(failed.map((t) => t.name));
  const leaves = failed.filter((t) => !parents.has(t.name));
  const failures = leaves.map((t) => ({
    name: qualify(t.name),
    message: t.messages.join("\n").trim() || "failed",
    frames: t.frames,
  }));
  if (failures.length === 0 && pkg) {
    // The package failed without a failing test: TestMain, os.Exit, a crash before any result line.
    return [{ name: pkg, message: dedent(unclaimed.slice(-20)) || `FAIL ${pkg} ${detail}`.trim(), frames: [] }];
  }
  return failures;
}

function finishPanic(panic: { test?: GoTest; lines: string[] }, testFor: (name: string) => GoTest, context: ParseContext): void {
  const traceAt = panic.lines.findIndex((l) => /^goroutine \d+ \[/.test(l));
  const header = panic.lines.slice(0, traceAt < 0 ? panic.lines.length : traceAt);
  const frames: string[] = [];
  let testFunction: string | undefined;
  for (let i = 1; i < panic.lines.length; i++) {
    const location = /^\t(\S+\.go):(\d+)/.exec(panic.lines[i]);
    if (!location) continue;
    const path = repositoryPath(location[1], context.workspaceRoot);
    if (path === null) continue;
    const fn = panic.lines[i - 1].replace(/\(.*\)$/, "").trim();
    frames.push(formatFrame({ path, line: Number(location[2]), fn }));
    testFunction ??= /\.(Test\w+)$/.exec(fn)?.[1];
  }
  const test = panic.test ?? testFor(testFunction ?? "(panic)");
  test.failed = true;
  test.messages.push(dedent(header));
  for (const frame of frames.slice(0, 8)) if (!test.frames.includes(frame)) test.frames.push(frame);
}

/** Names that have subtests among `names` (`TestA` when `TestA/case` is there). */
function parentNames(names: string[]): Set<string> {
  const parents = new Set<string>();
  for (const name of names) {
    for (let at = name.indexOf("/"); at > 0; at = name.indexOf("/", at + 1)) parents.add(name.slice(0, at));
  }
  return parents;
}

function verboseCounts(results: { name: string; status: string }[]): Counts {
  const parents = parentNames(results.map((r) => r.name));
  const leaves = results.filter((r) => !parents.has(r.name));
  const counts = { passed: 0, failed: 0, skipped: 0, total: leaves.length };
  for (const leaf of leaves) {
    if (leaf.status === "PASS") counts.passed++;
    else if (leaf.status === "FAIL") counts.failed++;
    else counts.skipped++;
  }
  return counts;
}
