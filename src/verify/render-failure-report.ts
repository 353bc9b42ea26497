import { failureKey, type BaselineComparison } from "./compare-with-baseline.js";
import type { TestFailure, TestReport } from "./types.js";

export interface RenderFailureReportOptions {
  /** Hard cap for the rendered text. */
  maxTokens: number;
  /** Token counter; defaults to characters / 4. */
  countTokens?: (text: string) => number;
  /** Marks new and pre-existing failures, new first. */
  comparison?: BaselineComparison;
  maxFramesPerFailure?: number;
  maxMessageLines?: number;
}

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

function countsText(report: TestReport): string {
  if (!report.counts) return "";
  const { passed, failed, skipped, total } = report.counts;
  return `${failed} failed, ${passed} passed${skipped > 0 ? `, ${skipped} skipped` : ""}, ${total} total`;
}

function headline(report: TestReport): string {
  const how = report.timedOut
    ? "timed out"
    : report.oomKilled
      ? "was killed for running out of memory"
      : report.exitCode === null
        ? "was killed"
        : report.passed
          ? "passed"
          : `failed (exit code ${report.exitCode})`;
  const counts = countsText(report);
  const lines = [`\`${report.command}\` ${how}${counts ? `: ${counts}` : ""}.`];
  if (report.truncated) lines.push("Its output hit the size limit and was cut off; later failures may be missing.");
  return lines.join("\n");
}

function renderFailure(failure: TestFailure, maxFrames: number, maxMessageLines: number, label?: string): string {
  const where = failure.file && !failure.name.startsWith(failure.file) ? ` (${failure.file})` : "";
  const lines = [`● ${failure.name}${where}${label ? ` [${label}]` : ""}`];
  const message = failure.message.split("\n");
  const shown = message.slice(0, maxMessageLines);
  lines.push(...shown.map((l) => `  ${l}`));
  if (message.length > shown.length) lines.push(`  … ${message.length - shown.length} more line(s)`);
  lines.push(...failure.frames.slice(0, maxFrames).map((f) => `  at ${f}`));
  return lines.join("\n");
}

/** Keeps the end of the text (where runners print errors and summaries) within `maxChars`. */
function keepEnd(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 2) return "";
  const cut = text.slice(text.length - (maxChars - 2));
  const lineStart = cut.indexOf("\n");
  return `…\n${lineStart >= 0 && lineStart < cut.length - 1 ? cut.slice(lineStart + 1) : cut}`;
}

/** Cuts from the end, at a line break where possible, so that `count(text) <= maxTokens`. */
function fitHead(text: string, maxTokens: number, count: (t: string) => number): string {
  if (count(text) <= maxTokens) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (count(`${text.slice(0, mid)}\n…`) <= maxTokens) low = mid;
    else high = mid - 1;
  }
  if (low === 0) return "";
  const head = text.slice(0, low);
  const lineEnd = head.lastIndexOf("\n");
  return `${lineEnd > head.length / 2 ? head.slice(0, lineEnd) : head}\n…`;
}

/**
 * The failure report the model gets after a test run: each failing test with its message and a few
 * repository frames (new failures first when a baseline comparison is given), then the raw tail when no
 * failing test could be read. Always within `maxTokens`.
 */
export function renderFailureReport(report: TestReport, options: RenderFailureReportOptions): string {
  const count = options.countTokens ?? estimateTokens;
  const maxFrames = options.maxFramesPerFailure ?? 3;
  const maxMessageLines = options.maxMessageLines ?? 20;
  const budget = Math.max(0, Math.floor(options.maxTokens));
  const sections = [headline(report)];

  const comparison = options.comparison;
  const preExistingKeys = new Set(comparison?.preExisting.map(failureKey) ?? []);
  const isOld = (f: TestFailure) => comparison !== undefined && preExistingKeys.has(failureKey(f));
  const current = report.failures.filter((f) => !isOld(f));
  const old = report.failures.filter(isOld);
  if (comparison && comparison.notes.length > 0) sections.push(comparison.notes.join("\n"));

  if (report.failures.length === 0) {
    if (!report.passed) {
      sections.push("No failing test could be read from the output. Its last lines:");
      const head = sections.join("\n\n");
      const room = budget - count(`${head}\n\n`);
      // Tokens are not characters: shrink the tail until the counter agrees.
      let tail = report.rawTail;
      let maxChars = tail.length;
      while (tail !== "" && count(tail) > room) {
        maxChars = Math.floor(maxChars * 0.8);
        tail = keepEnd(report.rawTail, maxChars);
      }
      return fitHead(tail ? `${head}\n\n${tail}` : head, budget, count);
    }
    return fitHead(sections.join("\n\n"), budget, count);
  }

  // New failures first: they are the ones the change caused. Old ones still get detail (the task may be to fix them).
  const ordered = [...current.map((f) => ({ f, label: comparison ? "new" : undefined })), ...old.map((f) => ({ f, label: "failed before your change too" }))];
  const blocks = ordered.map(({ f, label }) => renderFailure(f, maxFrames, maxMessageLines, label));
  let text = sections.join("\n\n");
  let shown = 0;
  for (const block of blocks) {
    const remaining = blocks.length - shown - 1;
    const reserve = remaining > 0 ? `\n\n… ${remaining} more failing test(s) not shown` : "";
    const candidate = `${text}\n\n${block}`;
    if (count(candidate + reserve) > budget) {
      if (shown === 0) {
        // Not even one full block fits: show a shorter version of the first one rather than none.
        const short = renderFailure(ordered[0].f, 1, 5, ordered[0].label);
        text = fitHead(`${text}\n\n${short}`, Math.max(0, budget - count(reserve)), count);
        shown = 1;
      }
      break;
    }
    text = candidate;
    shown++;
  }
  if (shown < blocks.length) text += `\n\n… ${blocks.length - shown} more failing test(s) not shown`;
  return fitHead(text, budget, count);
}
