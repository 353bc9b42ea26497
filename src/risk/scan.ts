import type { FileFacts, NumberedLine } from "./file-facts.js";

/** Added lines matching `pattern` (tested line by line; the pattern must not be global). */
export function addedLinesMatching(facts: FileFacts, pattern: RegExp): NumberedLine[] {
  return facts.added.filter((l) => pattern.test(l.text));
}

export function removedLinesMatching(facts: FileFacts, pattern: RegExp): NumberedLine[] {
  return facts.removed.filter((l) => pattern.test(l.text));
}

/** "line 12", "lines 3 and 8", "lines 3, 8, 12 and 2 more". */
export function describeLines(lines: readonly number[]): string {
  const unique = [...new Set(lines)].sort((a, b) => a - b);
  if (unique.length === 0) return "";
  if (unique.length === 1) return `line ${unique[0]}`;
  const shown = unique.slice(0, 3);
  const more = unique.length - shown.length;
  if (more > 0) return `lines ${shown.join(", ")} and ${more} more`;
  return `lines ${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

export function onLines(lines: readonly NumberedLine[] | readonly number[]): string {
  const numbers = lines.map((l) => (typeof l === "number" ? l : l.line));
  return numbers.length ? ` on ${describeLines(numbers)}` : "";
}

/** 1-based line number of a character offset. */
export function lineAt(content: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < content.length; i++) if (content.charCodeAt(i) === 10) line++;
  return line;
}

export interface ContentMatch {
  line: number;
  match: RegExpExecArray;
}

/**
 * Matches of a (multi-line) pattern in the new content whose first line is one this change adds:
 * SQL statements span lines, so they are matched on the whole text and kept only when introduced here.
 */
export function contentMatchesOnAddedLines(facts: FileFacts, pattern: RegExp, limit = 20): ContentMatch[] {
  if (!facts.content) return [];
  const flags = pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g";
  const re = new RegExp(pattern.source, flags);
  const found: ContentMatch[] = [];
  let m: RegExpExecArray | null;
  // Offsets to line numbers incrementally, so a large file is scanned once.
  let lastOffset = 0;
  let lastLine = 1;
  while ((m = re.exec(facts.content)) !== null && found.length < limit) {
    if (m[0].length === 0) re.lastIndex++;
    for (let i = lastOffset; i < m.index; i++) if (facts.content.charCodeAt(i) === 10) lastLine++;
    lastOffset = m.index;
    if (facts.wholeContentAdded || facts.addedLineNumbers.has(lastLine)) found.push({ line: lastLine, match: m });
  }
  return found;
}

/** Shorten untrusted text for a reason: one line, at most `max` characters. */
export function snippet(text: string, max = 60): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? one.slice(0, max - 1) + "…" : one;
}
