import type { TestFailure } from "../types.js";
import { dedent } from "../output-text.js";
import { isV8FrameLine, repositoryFramesFromV8, repositoryPath } from "../stack-frames.js";
import { commandRuns, dedupeFailures, type Counts, type ParseContext, type ParsedTestOutput, type TestOutputParser } from "./parser.js";

/**
 * Jest's default reporter: `FAIL path` headers, one `● a › b › c` block per failure (message, code frame,
 * stack), then `Tests: 4 failed, 1 skipped, 3 passed, 8 total`.
 */

const FILE_HEADER = /^\s*(PASS|FAIL) +(\S+(?: \S+)*?)(?: \([\d.]+ m?s\))?$/;
const BLOCK_TITLE = /^ {2}● +(\S.*)$/;
const SUMMARY_LINE = /^(Test Suites|Tests|Snapshots|Time):\s/;
const CODE_FRAME = /^\s*>?\s*\d+ \|/;
const CARET_LINE = /^\s*\|[\s^]*$/;

export const jestParser: TestOutputParser = {
  framework: "jest",

  matchesCommand: (command) => commandRuns(command, /(^|[\s/])(jest|react-scripts test|craco test)(\s|$)/),

  outputScore(text) {
    let score = 0;
    if (/^Tests:[ \t]+.*\d+ total[ \t]*$/m.test(text)) score += 0.6;
    if (/^Test Suites:[ \t]/m.test(text)) score += 0.3;
    if (/^ {2}● /m.test(text)) score += 0.2;
    if (/^(PASS|FAIL) \S/m.test(text)) score += 0.2;
    if (/^No tests found, exiting with code/m.test(text)) score += 0.8;
    return Math.min(score, 1);
  },

  parse(text, context) {
    const lines = text.split("\n");
    const failures: TestFailure[] = [];
    let file: string | undefined;
    for (let i = 0; i < lines.length; i++) {
      const header = FILE_HEADER.exec(lines[i]);
      if (header && !lines[i].startsWith(" ")) {
        file = repositoryPath(header[2], context.workspaceRoot) ?? header[2];
        continue;
      }
      if (SUMMARY_LINE.test(lines[i]) || /^Summary of all failing tests/.test(lines[i])) file = undefined;
      const title = BLOCK_TITLE.exec(lines[i]);
      if (!title) continue;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const line = lines[j];
        if (BLOCK_TITLE.test(line) || SUMMARY_LINE.test(line) || /^Summary of all failing tests/.test(line)) break;
        if (FILE_HEADER.test(line) && !line.startsWith(" ")) break;
        if (line.trim() !== "" && !line.startsWith("  ")) break;
        body.push(line);
      }
      i = j - 1;
      if (/^Console$/.test(title[1])) continue;
      failures.push(failureFromBlock(title[1], body, file, context));
    }
    const noTestsAt = lines.findIndex((l) => /^No tests found, exiting with code \d+/.test(l));
    if (noTestsAt >= 0) {
      const end = lines.findIndex((l, k) => k > noTestsAt && l.trim() === "");
      const message = dedent(lines.slice(noTestsAt, end < 0 ? undefined : end));
      failures.push({ name: "No tests found", message, frames: [] });
    }
    return { failures: dedupeFailures(failures), counts: parseCounts(text) } satisfies ParsedTestOutput;
  },
};

function failureFromBlock(title: string, body: string[], file: string | undefined, context: ParseContext): TestFailure {
  const messageLines: string[] = [];
  for (const line of body) {
    if (CODE_FRAME.test(line) || CARET_LINE.test(line) || isV8FrameLine(line)) break;
    messageLines.push(line);
  }
  const message = dedent(messageLines) || title;
  const frames = repositoryFramesFromV8(body, context.workspaceRoot);
  // A file that does not parse has no stack in the repository, but its code frame marks the line.
  const marked = body.map((l) => /^\s*>\s*(\d+) \|/.exec(l)).find(Boolean);
  if (frames.length === 0 && marked && file !== undefined) frames.push(`${file}:${marked[1]}`);
  const name = title.split(" › ").map((part) => part.trim()).join(" > ");
  return file === undefined ? { name, message, frames } : { name, file, message, frames };
}

/** `Tests:       4 failed, 1 skipped, 1 todo, 3 passed, 9 total` (the last such line wins). */
function parseCounts(text: string): Counts | null {
  const lines = [...text.matchAll(/^Tests:[ \t]+(.*\d+ total)[ \t]*$/gm)];
  if (lines.length === 0) return null;
  const summary = lines[lines.length - 1][1];
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(summary)?.[1] ?? 0);
  return {
    passed: count("passed"),
    failed: count("failed"),
    skipped: count("skipped") + count("todo"),
    total: count("total"),
  };
}
