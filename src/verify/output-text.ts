import { stripVTControlCharacters } from "node:util";
import type { CommandResult } from "../sandbox/types.js";

/**
 * Text helpers shared by the parsers. ANSI stripping uses Node's own `stripVTControlCharacters` (the same
 * regex `strip-ansi` ships) rather than another dependency.
 */

/** The combined output as a terminal would show it: ANSI stripped, CRLF and lone CR normalised. */
export function commandText(result: Pick<CommandResult, "output" | "stdout" | "stderr">): string {
  const bytes =
    result.output.length > 0 ? result.output : Buffer.concat([result.stdout, result.stderr]);
  return normaliseText(bytes.toString("utf8"));
}

export function normaliseText(text: string): string {
  // Line by line with trimEnd(): regexes such as /\s+$/ are quadratic on long runs of spaces, and a test can
  // print anything. Right-trimmed lines also let the parsers' patterns end in a plain `$`.
  return stripVTControlCharacters(text)
    .split("\n")
    .map((line) => {
      // Progress lines redraw with a bare CR; keep only what the line finally showed.
      const cr = line.lastIndexOf("\r", line.length - 2);
      return (cr >= 0 ? line.slice(cr + 1) : line).replace(/\r$/, "").trimEnd();
    })
    .join("\n");
}

export interface TailLimits {
  lines: number;
  bytes: number;
}

export const defaultTailLimits: TailLimits = { lines: 80, bytes: 8_000 };

/** The last `lines` lines, and at most `bytes` UTF-8 bytes of them, cut at a line start where possible. */
export function tailOf(text: string, limits: TailLimits = defaultTailLimits): string {
  const trimmed = text.trimEnd().replace(/^\n+/, "");
  let lines = trimmed.split("\n");
  if (lines.length > limits.lines) lines = lines.slice(-limits.lines);
  let tail = lines.join("\n");
  if (Buffer.byteLength(tail) > limits.bytes) {
    const bytes = Buffer.from(tail);
    tail = bytes.subarray(bytes.length - limits.bytes).toString("utf8").replace(/^\uFFFD+/, "");
    const firstBreak = tail.indexOf("\n");
    if (firstBreak >= 0 && firstBreak < tail.length - 1) tail = tail.slice(firstBreak + 1);
  }
  return tail;
}

/**
 * Removes the block's indentation (that of its first non-blank line, from each line indented at least as
 * much) and trims blank lines at both ends. Runners indent the first line of a multi-line error
 * message but print the rest as the error had it, so the common minimum would often be zero.
 */
export function dedent(lines: string[]): string {
  const body = [...lines];
  while (body.length > 0 && body[0].trim() === "") body.shift();
  while (body.length > 0 && body[body.length - 1].trim() === "") body.pop();
  const cut = body.length > 0 ? /^ */.exec(body[0])![0].length : 0;
  return body.map((l) => (/^ */.exec(l)![0].length >= cut ? l.slice(cut) : l).trimEnd()).join("\n");
}

/** Collapses runs of more than one blank line. */
export function squeezeBlankLines(text: string): string {
  return text.replace(/\n{3,}/g, "\n\n");
}

/** Removes the indentation common to all non-blank lines and trims blank lines at both ends. */
export function dedentCommon(lines: string[]): string {
  const body = [...lines];
  while (body.length > 0 && body[0].trim() === "") body.shift();
  while (body.length > 0 && body[body.length - 1].trim() === "") body.pop();
  const indents = body.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return body.map((l) => l.slice(Math.min(cut, /^ */.exec(l)![0].length)).trimEnd()).join("\n");
}
