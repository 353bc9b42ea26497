import { renderFileBlock } from "./prompt-format.js";
import type { IndexedFile } from "./repo-index.js";
import { Bm25, queryTerms } from "./signals/bm25.js";
import { countTokens } from "./token-count.js";
import type { ExcerptRole } from "./types.js";

/**
 * The parts of a file too large for the prompt that matter to a task: its functions (or line windows) ranked by
 * BM25 against the task, the best kept in file order until the token limit. A 540 KB `lodash.js` would
 * otherwise reach the model only as one line of the repository map, though the fix is in three of its functions.
 * The text between parts is replaced by a marker line, so every kept line is verbatim (the editor's
 * `str_replace` needs the exact text) and the model can open the rest with `view_range`.
 */
export interface Excerpt {
  content: string;
  /** Line ranges kept, 1-based and inclusive, in file order. */
  ranges: [number, number][];
  tokens: number;
}

/** Chunks scoring below this share of the best are not worth their tokens. */
const MIN_RELATIVE_CHUNK_SCORE = 0.2;

export function gapMarker(from: number, to: number): string {
  return `⋯ lines ${from}–${to} not shown ⋯`;
}

/** Renders the kept ranges of `lines` with a marker for each gap, the file's end included. */
export function renderExcerpt(lines: readonly string[], ranges: readonly [number, number][]): string {
  const out: string[] = [];
  let next = 1;
  for (const [start, end] of ranges) {
    if (start > next) out.push(gapMarker(next, start - 1));
    out.push(...lines.slice(start - 1, end));
    next = end + 1;
  }
  if (next <= lines.length) out.push(gapMarker(next, lines.length));
  return out.join("\n") + "\n";
}

/** Sorted, with overlapping or touching ranges joined. */
export function mergeRanges(ranges: readonly [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** The best parts of `file` for `task` within `maxTokens` (as rendered), or undefined when no part matches or fits. */
export function excerptFile(file: IndexedFile, content: string, task: string, maxTokens: number, role: ExcerptRole = "excerpt"): Excerpt | undefined {
  if (file.chunks.length === 0) return undefined;
  const index = new Bm25(file.chunks.map((chunk, i) => ({ id: String(i), terms: chunk.terms })));
  const scored = [...index.score(queryTerms(task))].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  if (scored.length === 0) return undefined;
  const best = scored[0][1];
  const lines = content.replace(/\n$/, "").split("\n");

  // Chunks are costed one by one (their text and a gap marker), and the whole excerpt is measured once at the
  // end: measuring the rendered excerpt after every chunk is quadratic in a file of a thousand functions.
  const marker = countTokens(gapMarker(lines.length, lines.length)) + 1;
  let budget = maxTokens - countTokens(renderFileBlock(file.path, role, "\n"));
  const chosen: [number, number][] = [];
  for (const [id, score] of scored) {
    if (score < best * MIN_RELATIVE_CHUNK_SCORE || budget <= marker) break;
    const chunk = file.chunks[id];
    const start = Math.max(1, chunk.line);
    const end = Math.min(lines.length, chunk.endLine);
    if (end < start) continue;
    const cost = countTokens(lines.slice(start - 1, end).join("\n")) + marker;
    if (cost > budget) continue;
    chosen.push([start, end]);
    budget -= cost;
  }
  // Token counts of parts do not add up exactly to the whole; drop the weakest parts until it fits.
  for (; chosen.length > 0; chosen.pop()) {
    const ranges = mergeRanges(chosen);
    const content = renderExcerpt(lines, ranges);
    const tokens = countTokens(renderFileBlock(file.path, role, content));
    if (tokens <= maxTokens) return { content, ranges, tokens };
  }
  return undefined;
}
