import type { TestFailure } from "../types.js";
import { dedent } from "../output-text.js";
import { isV8FrameLine, repositoryFramesFromV8, repositoryPath } from "../stack-frames.js";
import { commandRuns, dedupeFailures, type Counts, type ParseContext, type TestOutputParser } from "./parser.js";

/**
 * Vitest's default reporter (v3 and v4): `⎯⎯ Failed Tests N ⎯⎯` / `Failed Suites` / `Unhandled Errors` sections,
 * each failure headed `FAIL  file > suite > test`, then `Tests  4 failed | 3 passed (7)`.
 */

const FAIL_HEADER = /^ *FAIL +(\S.*)$/;
const SECTION = /^⎯+ ?([^⎯]*?) ?⎯+$/;
const SEPARATOR = /^⎯+(\[\d+\/\d+\])?⎯*$/;
// Vitest frames source as `15| code`, Vite's transform errors as `1  |  code`.
const CODE_FRAME = /^\s*\d+\s*\|/;
const CARET_LINE = /^\s*\|[\s^]*$/;
const SUMMARY = /^\s*(Test Files|Tests|Errors|Start at|Duration)\s{2,}/;

export const vitestParser: TestOutputParser = {
  framework: "vitest",

  matchesCommand: (command) => commandRuns(command, /(^|[\s/])vitest(\s|$)/),

  outputScore(text) {
    let score = 0;
    if (/^[ \t]*RUN[ \t]+v\d+\.\d+/m.test(text)) score += 0.6;
    if (/^[ \t]*Test Files[ \t]{2,}.*\(\d+\)[ \t]*$/m.test(text)) score += 0.6;
    if (/^⎯+ (Failed Tests|Failed Suites|Unhandled Errors)/m.test(text)) score += 0.3;
    return Math.min(score, 1);
  },

  parse(text, context) {
    const lines = text.split("\n");
    const failures: TestFailure[] = [];
    let section = "";
    for (let i = 0; i < lines.length; i++) {
      const sectionHeader = SECTION.exec(lines[i]);
      if (sectionHeader && !SEPARATOR.test(lines[i])) {
        section = sectionHeader[1];
        if (/^(Uncaught Exception|Unhandled Rejection|Unhandled Error)$/.test(section)) {
          const { body, next } = readBlock(lines, i + 1);
          failures.push(unhandledFailure(section, body, context));
          i = next - 1;
        }
        continue;
      }
      if (SUMMARY.test(lines[i])) section = "";
      if (!/^Failed (Tests|Suites)/.test(section)) continue;
      // Vitest groups tests that failed with the same error under consecutive FAIL headers.
      const headers: string[] = [];
      let j = i;
      while (j < lines.length && FAIL_HEADER.test(lines[j])) headers.push(FAIL_HEADER.exec(lines[j++])![1]);
      if (headers.length === 0) continue;
      const { body, next } = readBlock(lines, j);
      i = next - 1;
      for (const header of headers) failures.push(failureFromBlock(header, body, context));
    }
    return { failures: dedupeFailures(failures), counts: parseCounts(text) };
  },
};

function readBlock(lines: string[], start: number): { body: string[]; next: number } {
  const body: string[] = [];
  let j = start;
  for (; j < lines.length; j++) {
    if (SEPARATOR.test(lines[j]) || SECTION.test(lines[j]) || FAIL_HEADER.test(lines[j]) || SUMMARY.test(lines[j])) break;
    body.push(lines[j]);
  }
  return { body, next: j };
}

function splitMessage(body: string[]): string {
  const messageLines: string[] = [];
  for (const line of body) {
    if (CODE_FRAME.test(line) || CARET_LINE.test(line) || isV8FrameLine(line)) break;
    messageLines.push(line);
  }
  return dedent(messageLines);
}

function failureFromBlock(header: string, body: string[], context: ParseContext): TestFailure {
  const frames = repositoryFramesFromV8(body, context.workspaceRoot);
  // `file [ file ]` is a file that failed to load: no test in it ran.
  const suite = /^(\S+) \[ (.+) \]$/.exec(header);
  if (suite) {
    const file = repositoryPath(suite[1], context.workspaceRoot) ?? suite[1];
    // Vite's transform errors point at the file as `File: /workspace/x.test.js:1:0`.
    for (const line of body) {
      const at = /^\s*File: (\S+?):(\d+)(?::(\d+))?$/.exec(line);
      const path = at ? repositoryPath(at[1], context.workspaceRoot) : null;
      if (path && frames.length === 0) frames.push(`${path}:${at![2]}`);
    }
    return { name: "Test suite failed to run", file, message: splitMessage(body) || "failed to load", frames };
  }
  const [rawFile, ...names] = header.split(" > ");
  const file = repositoryPath(rawFile, context.workspaceRoot) ?? rawFile;
  const name = names.length > 0 ? names.join(" > ") : rawFile;
  return { name, file, message: splitMessage(body) || name, frames };
}

function unhandledFailure(kind: string, body: string[], context: ParseContext): TestFailure {
  const origin = body.map((l) => /This error originated in "(.+?)" test file/.exec(l)?.[1]).find(Boolean);
  const latest = body.map((l) => /The latest test that might've caused the error is "(.+?)"/.exec(l)?.[1]).find(Boolean);
  const kept = body.filter((l) => !/^(This error originated in|The latest test that might've caused)/.test(l.trim()));
  const failure: TestFailure = {
    name: latest ? `${kind} (during "${latest}")` : kind,
    message: splitMessage(kept) || kind,
    frames: repositoryFramesFromV8(kept, context.workspaceRoot),
  };
  if (origin) failure.file = repositoryPath(origin, context.workspaceRoot) ?? origin;
  return failure;
}

/** `Tests  4 failed | 3 passed | 1 skipped | 1 todo (9)`. */
function parseCounts(text: string): Counts | null {
  const matches = [...text.matchAll(/^[ \t]*Tests[ \t]{2,}(.*?)[ \t]*\((\d+)\)[ \t]*$/gm)];
  if (matches.length === 0) return null;
  const [, parts, total] = matches[matches.length - 1];
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(parts)?.[1] ?? 0);
  return {
    passed: count("passed"),
    failed: count("failed"),
    skipped: count("skipped") + count("todo"),
    total: Number(total),
  };
}
