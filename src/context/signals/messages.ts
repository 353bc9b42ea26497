import type { IndexedFile } from "../repo-index.js";
import type { SignalScores } from "./signal.js";

/**
 * Messages a program prints are written in its source as string literals: an issue that quotes an error
 * ("Error: No test files found", "Unsupported protocol /api:") names the file that raises it more precisely
 * than any of its words does. The index keeps each source file's message-like literals, cut at interpolations
 * (`${x}`, `%s`, `' + x + '`), as lower-case word sequences; the signal looks for them verbatim in the issue.
 */

const LITERAL = /'((?:[^'\\\n]|\\.){8,200})'|"((?:[^"\\\n]|\\.){8,200})"|`((?:[^`\\]|\\.){8,200})`/g;
const PLACEHOLDER = /\$\{[^}]*\}|%[sdifjoO%]|\{\d+\}|\\[nrt]/g;
/** A message fragment worth matching: at least two words and twelve characters. */
const MIN_WORDS = 2;
const MIN_CHARS = 12;
const MAX_PER_FILE = 300;

/** Lower-case words separated by single spaces; punctuation is not part of a message's identity. */
export function normalizeMessage(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** What comes before a printed message: `throw new Error(`, `console.warn(`, `reject(createError(`, `message:`. */
const PRINTING_CONTEXT = /\b(error|throw|warn|log|message|msg|reject|fail|assert|deprecat|print|console|exception)|(error|exception|message)\b/i;

/** The message-like fragments of a source file's string literals that it throws, logs or reports. */
export function extractMessages(content: string): string[] {
  const out = new Set<string>();
  for (const match of content.matchAll(LITERAL)) {
    const literal = match[1] ?? match[2] ?? match[3] ?? "";
    // The statement the literal belongs to, up to 80 characters back (a keyword on an earlier line of the same
    // call counts; one in the previous statement does not).
    const window = content.slice(Math.max(0, match.index - 80), match.index);
    const before = window.slice(Math.max(window.lastIndexOf(";"), window.lastIndexOf("{"), window.lastIndexOf("}")) + 1);
    if (!PRINTING_CONTEXT.test(before) && !/^\W*(error|warning|deprecat)/i.test(literal)) continue;
    // Paths, URLs, selectors and format strings are not messages.
    if (/^[\w./@-]+$/.test(literal) || /^https?:/.test(literal)) continue;
    for (const part of literal.split(PLACEHOLDER)) {
      const fragment = normalizeMessage(part);
      if (fragment.length < MIN_CHARS || fragment.split(" ").length < MIN_WORDS || !/[a-z]{3}/.test(fragment)) continue;
      // "Error: No test files found" is quoted as "a `No test files found` error" just as often.
      out.add(fragment.replace(/^(?:error|warning|warn|deprecated|deprecation) (?=\w+ \w)/, ""));
      if (out.size >= MAX_PER_FILE) return [...out];
    }
  }
  return [...out];
}

/**
 * Files whose messages the issue quotes. A fragment found in several files counts for each in proportion
 * (1 / files); longer fragments count more (four words or more count fully); a file scores its best fragment.
 */
export function messageScores(files: readonly IndexedFile[], issueText: string): SignalScores {
  const scores: SignalScores = new Map();
  const issue = ` ${normalizeMessage(issueText)} `;
  const owners = new Map<string, string[]>();
  for (const file of files) {
    for (const fragment of file.messages ?? []) {
      if (!issue.includes(` ${fragment} `)) continue;
      const list = owners.get(fragment);
      if (list) list.push(file.path);
      else owners.set(fragment, [file.path]);
    }
  }
  for (const [fragment, paths] of owners) {
    const value = Math.min(1, fragment.split(" ").length / 4) / paths.length;
    for (const path of paths) {
      const current = scores.get(path);
      if (!current || current.score < value) scores.set(path, { score: value, details: [`prints "${fragment.slice(0, 60)}"`] });
    }
  }
  return scores;
}
