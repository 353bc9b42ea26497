import { failureKey } from "./compare-with-baseline.js";
import type { TestReport } from "./types.js";

/**
 * Normalises what changes between two runs of the same failure: line and column numbers, durations,
 * memory addresses, goroutine ids, temporary paths and clock times. Assertion values stay: a different
 * received value means the change did something.
 */
export function normaliseForSignature(text: string): string {
  return text
    .replace(/\b0x[0-9a-f]+\b/gi, "0x?")
    .replace(/\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b/g, "<time>")
    .replace(/\b\d+(\.\d+)?\s?(ms|s|sec|seconds|µs|us|ns)\b/g, "<duration>")
    .replace(/(\.[a-z]{1,5}|\w\)?):\d+(:\d+)?\b/gi, "$1:<n>")
    .replace(/, line \d+/g, ", line <n>")
    .replace(/\bgoroutine \d+\b/g, "goroutine ?")
    .replace(/\/tmp\/[^\s:'")]+/g, "/tmp/?")
    .replace(/[ \t]+/g, " ")
    .trim();
}

/**
 * A stable string for "the same failure again": the failing tests (sorted) with the first lines of their
 * messages, or the exit status and the end of the output when no test could be read. The fix loop stops
 * when the same signature comes back twice.
 */
export function failureSignature(report: TestReport, options: { messageLines?: number; tailLines?: number } = {}): string {
  const messageLines = options.messageLines ?? 3;
  if (report.passed && report.failures.length === 0) return "passed";
  const status = report.timedOut ? "timed-out" : report.exitCode === null ? "killed" : `exit ${report.exitCode}`;
  if (report.failures.length > 0) {
    const entries = report.failures.map((f) => {
      const message = f.message.split("\n").filter((l) => l.trim() !== "").slice(0, messageLines).join(" / ");
      return `${failureKey(f)} :: ${normaliseForSignature(message)}`;
    });
    return [status, ...[...new Set(entries)].sort()].join("\n");
  }
  const tail = report.rawTail
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(-(options.tailLines ?? 15))
    .map(normaliseForSignature);
  return [status, ...tail].join("\n");
}
