import type { TestFailure } from "../types.js";
import { dedent } from "../output-text.js";
import { isV8FrameLine, repositoryFramesFromV8, repositoryPath } from "../stack-frames.js";
import { commandRuns, dedupeFailures, type Counts, type ParseContext, type TestOutputParser } from "./parser.js";

/**
 * Mocha's default `spec` reporter: `N passing (Xms)` / `N pending` / `N failing`, then numbered failures
 * whose title spans one line per suite level and ends with `:`, followed by the message and the stack.
 */

const PASSING = /^[ \t]+(\d+) passing \(\d+[ \t]*\w+\)[ \t]*$/m;
const FAILING_LINE = /^[ \t]+(\d+) failing[ \t]*$/m;
const NUMBERED = /^( {2,})(\d+)\) (.*)$/;

export const mochaParser: TestOutputParser = {
  framework: "mocha",

  matchesCommand: (command) => commandRuns(command, /(^|[\s/])_?mocha(\s|$)/),

  outputScore(text) {
    let score = 0;
    if (PASSING.test(text)) score += 0.6;
    if (FAILING_LINE.test(text)) score += 0.3;
    if (/^[ \t]+\d+ pending[ \t]*$/m.test(text)) score += 0.1;
    if (/^[ \t]*Exception during run: /m.test(text)) score += 0.7;
    return Math.min(score, 1);
  },

  parse(text, context) {
    const lines = text.split("\n");
    const failures: TestFailure[] = [];
    const failingAt = lines.findIndex((l) => FAILING_LINE.test(l));
    if (failingAt >= 0) {
      for (let i = failingAt + 1; i < lines.length; i++) {
        const numbered = NUMBERED.exec(lines[i]);
        if (!numbered) continue;
        const { failure, next } = readFailure(lines, i, numbered, context);
        failures.push(failure);
        i = next - 1;
      }
    }
    const exception = exceptionDuringRun(lines, context);
    if (exception) failures.push(exception);
    return { failures: dedupeFailures(failures), counts: parseCounts(text) };
  },
};

function readFailure(lines: string[], start: number, numbered: RegExpExecArray, context: ParseContext) {
  const titleParts = [numbered[3]];
  let i = start + 1;
  // The title ends at the first line ending with ":"; mocha indents each deeper suite level by two more.
  if (!numbered[3].endsWith(":")) {
    for (let k = i; k < Math.min(lines.length, start + 12); k++) {
      if (NUMBERED.test(lines[k]) || lines[k].trim() === "") break;
      titleParts.push(lines[k].trim());
      if (lines[k].trimEnd().endsWith(":")) {
        i = k + 1;
        break;
      }
    }
    if (!titleParts[titleParts.length - 1].endsWith(":")) titleParts.splice(1);
  }
  titleParts[titleParts.length - 1] = titleParts[titleParts.length - 1].replace(/:$/, "");
  const body: string[] = [];
  let j = i;
  for (; j < lines.length; j++) {
    const next = NUMBERED.exec(lines[j]);
    if (next && next[1].length <= numbered[1].length) break;
    body.push(lines[j]);
  }
  const messageLines: string[] = [];
  for (const line of body) {
    if (isV8FrameLine(line)) break;
    messageLines.push(line);
  }
  const frames = repositoryFramesFromV8(body, context.workspaceRoot);
  const name = titleParts.join(" > ");
  // Timeouts name the file in the message: `... (/workspace/test/cart.test.js)`.
  const fromTimeout = /\((\/[^()\s]+\.[cm]?[jt]sx?)\)[ \t]*$/m.exec(messageLines.join("\n"))?.[1];
  // Mocha does not say which file a test is in; the file goes among the frames, not into the test's identity.
  const file = fromTimeout ? repositoryPath(fromTimeout, context.workspaceRoot) : null;
  if (file && frames.length === 0) frames.push(file);
  const failure: TestFailure = { name, message: dedent(messageLines) || name, frames };
  return { failure, next: j };
}

/** `Exception during run: /workspace/test/x.test.js:6` (a file failed to load; no test ran). */
function exceptionDuringRun(lines: string[], context: ParseContext): TestFailure | null {
  const at = lines.findIndex((l) => /^\s*Exception during run: /.test(l));
  if (at < 0) return null;
  const first = lines[at].replace(/^\s*Exception during run: /, "");
  const location = /^(\/?\S+?):(\d+)$/.exec(first.trim());
  const body = [first, ...lines.slice(at + 1)];
  const messageLines: string[] = [];
  for (const line of body) {
    if (isV8FrameLine(line)) break;
    messageLines.push(line);
  }
  const failure: TestFailure = {
    name: "Exception during run",
    message: dedent(messageLines),
    frames: repositoryFramesFromV8(body, context.workspaceRoot),
  };
  const file = location ? repositoryPath(location[1], context.workspaceRoot) : null;
  if (file) {
    failure.file = file;
    failure.frames.unshift(`${file}:${location![2]}`);
  }
  return failure;
}

function parseCounts(text: string): Counts | null {
  const passing = PASSING.exec(text);
  const failing = FAILING_LINE.exec(text);
  if (!passing && !failing) return null;
  const passed = Number(passing?.[1] ?? 0);
  const failed = Number(failing?.[1] ?? 0);
  const skipped = Number(/^[ \t]+(\d+) pending[ \t]*$/m.exec(text)?.[1] ?? 0);
  return { passed, failed, skipped, total: passed + failed + skipped };
}
