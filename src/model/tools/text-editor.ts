import { constants, type Stats } from "node:fs";
import { lstat, mkdir, open, readdir } from "node:fs/promises";
import path from "node:path";
import type { ToolTextEditor20250728 } from "@anthropic-ai/sdk/resources/messages";
import { z } from "zod";
import {
  SKIPPED_DIRECTORIES,
  createWorkspaceGuard,
  decodeText,
  type Checked,
  type WorkspaceGuard,
  type WorkspacePolicy,
} from "./workspace-guard.js";
import type { ToolResult } from "./types.js";

export const TEXT_EDITOR_TOOL_NAME = "str_replace_based_edit_tool";

/** Characters of one `view` answer; the same number goes into the tool definition for the model. */
export const DEFAULT_MAX_VIEW_CHARACTERS = 60_000;

/**
 * Anthropic's text editor tool, version for Claude 4 models (`text_editor_20250728`: view, create,
 * str_replace, insert; no undo_edit). The API defines its schema; we only execute it.
 */
export function textEditorToolDefinition(maxCharacters = DEFAULT_MAX_VIEW_CHARACTERS): ToolTextEditor20250728 {
  return { type: "text_editor_20250728", name: TEXT_EDITOR_TOOL_NAME, max_characters: maxCharacters };
}

const inputSchema = z.discriminatedUnion("command", [
  z.object({ command: z.literal("view"), path: z.string(), view_range: z.array(z.number().int()).length(2).optional() }),
  z.object({ command: z.literal("create"), path: z.string(), file_text: z.string() }),
  z.object({ command: z.literal("str_replace"), path: z.string(), old_str: z.string(), new_str: z.string().optional() }),
  z.object({
    command: z.literal("insert"),
    path: z.string(),
    insert_line: z.number().int(),
    // Older tool versions called the text `new_str`; accept either.
    insert_text: z.string().optional(),
    new_str: z.string().optional(),
  }),
]);

export interface TextEditorOptions extends WorkspacePolicy {
  maxViewCharacters?: number;
  /** Entries shown for a directory view. Default 1000. */
  maxListEntries?: number;
}

export interface TextEditor {
  execute(input: unknown): Promise<ToolResult>;
  /** Repository-relative paths created or modified so far, sorted. */
  changedPaths(): string[];
}

const ok = (content: string): ToolResult => ({ content, isError: false });
const error = (content: string): ToolResult => ({ content, isError: true });
const fail = <T>(reason: string): Checked<T> => ({ ok: false, reason });

const numbered = (lines: string[], firstLine: number): string =>
  lines.map((line, i) => `${String(firstLine + i).padStart(6)}\t${line}`).join("\n");

/** Executes the editor's commands on the host clone, as text only, confined to the workspace. */
export function createTextEditor(options: TextEditorOptions): TextEditor {
  const guard = createWorkspaceGuard(options);
  const maxView = options.maxViewCharacters ?? DEFAULT_MAX_VIEW_CHARACTERS;
  const maxEntries = options.maxListEntries ?? 1000;
  const changed = new Set<string>();

  async function execute(input: unknown): Promise<ToolResult> {
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success) {
      const command = (input as { command?: unknown } | null)?.command;
      if (command === "undo_edit") return error("undo_edit is not supported; use str_replace to change the text back.");
      const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
      return error(`Invalid input for ${TEXT_EDITOR_TOOL_NAME}: ${detail}. Commands: view, create, str_replace, insert.`);
    }
    const cmd = parsed.data;
    const checked = guard.check(cmd.path, cmd.command === "view" ? "read" : "write");
    if (!checked.ok) return error(checked.reason);
    const relative = checked.value;
    try {
      switch (cmd.command) {
        case "view":
          return await view(relative, cmd.view_range as [number, number] | undefined);
        case "create":
          return await create(relative, cmd.file_text);
        case "str_replace":
          return await strReplace(relative, cmd.old_str, cmd.new_str ?? "");
        case "insert": {
          const text = cmd.insert_text ?? cmd.new_str;
          if (text === undefined) return error("insert needs insert_text (the text to insert).");
          return await insert(relative, cmd.insert_line, text);
        }
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ELOOP") return error(`${relative} is a symbolic link; codegen never follows links.`);
      return error(`Could not ${cmd.command} ${relative || "/"}: ${code ?? (err as Error).message}.`);
    }
  }

  async function view(relative: string, range: [number, number] | undefined): Promise<ToolResult> {
    const inspected = await guard.inspect(relative);
    if (!inspected.ok) return error(inspected.reason);
    const stats = inspected.value.stats;
    if (!stats) return error(`${relative} does not exist. Use the create command to make a new file.`);
    if (stats.isDirectory()) {
      if (range) return error("view_range applies to files only.");
      return ok(await listDirectory(relative));
    }
    const read = await readText(guard, relative, stats);
    if (!read.ok) return error(read.reason);
    const lines = textLines(read.value);
    let [start, end] = range ?? [1, lines.length];
    if (end === -1) end = lines.length;
    if (range && (start < 1 || start > Math.max(1, lines.length) || end < start || end > lines.length)) {
      return error(`Invalid view_range [${range.join(", ")}]: ${relative} has ${lines.length} lines; use [start, end] with 1 ≤ start ≤ end ≤ ${lines.length} (end -1 means the last line).`);
    }
    const shown: string[] = [];
    let size = 0;
    let last = start - 1;
    for (let n = start; n <= end; n++) {
      const line = `${String(n).padStart(6)}\t${lines[n - 1]}`;
      if (size + line.length + 1 > maxView && shown.length > 0) break;
      shown.push(line);
      size += line.length + 1;
      last = n;
    }
    let text = `Here's the result of running \`cat -n\` on ${relative}:\n${shown.join("\n")}`;
    if (last < end) text += `\n[Output truncated after line ${last} of ${lines.length}; view the rest with view_range [${last + 1}, ${end}].]`;
    return ok(text);
  }

  async function listDirectory(relative: string): Promise<string> {
    const entries: string[] = [];
    let truncated = false;
    const walk = async (dir: string, depth: number) => {
      const names = (await readdir(guard.absolute(dir))).sort();
      for (const name of names) {
        if (entries.length >= maxEntries) {
          truncated = true;
          return;
        }
        const child = dir === "" ? name : `${dir}/${name}`;
        if (guard.isProtected(child)) continue;
        const stats = await lstat(guard.absolute(child));
        if (stats.isDirectory()) {
          if (SKIPPED_DIRECTORIES.has(name)) continue;
          entries.push(`${child}/`);
          if (depth < 2) await walk(child, depth + 1);
        } else if (stats.isSymbolicLink()) {
          entries.push(`${child} (symbolic link, not followed)`);
        } else {
          entries.push(child);
        }
      }
    };
    await walk(relative, 1);
    const where = relative === "" ? "the repository root" : relative;
    const header = `Files and directories up to 2 levels deep in ${where} (excluding .git and node_modules):`;
    const footer = truncated ? `\n[Listing truncated at ${maxEntries} entries; view a subdirectory to see more.]` : "";
    return `${header}\n${entries.join("\n")}${footer}`;
  }

  async function create(relative: string, text: string): Promise<ToolResult> {
    const inspected = await guard.inspect(relative);
    if (!inspected.ok) return error(inspected.reason);
    const existing = inspected.value.stats;
    if (existing && !existing.isFile()) return error(`${relative} exists and is not a regular file.`);
    const written = await writeText(guard, relative, text, existing);
    if (!written.ok) return error(written.reason);
    changed.add(relative);
    return ok(existing ? `File ${relative} overwritten.` : `File created successfully at: ${relative}`);
  }

  async function strReplace(relative: string, oldStr: string, newStr: string): Promise<ToolResult> {
    if (oldStr.length === 0) return error("old_str is empty; give the exact text to replace (use insert to add text).");
    const inspected = await guard.inspect(relative);
    if (!inspected.ok) return error(inspected.reason);
    const stats = inspected.value.stats;
    if (!stats) return error(`${relative} does not exist. Use the create command to make a new file.`);
    const read = await readText(guard, relative, stats);
    if (!read.ok) return error(read.reason);
    let text = read.value;
    let [from, to] = [oldStr, newStr];
    let offsets = occurrences(text, from);
    // The model writes "\n"; files checked out with CRLF endings still deserve a match.
    if (offsets.length === 0 && text.includes("\r\n") && !from.includes("\r\n")) {
      [from, to] = [from.replace(/\n/g, "\r\n"), to.replace(/\n/g, "\r\n")];
      offsets = occurrences(text, from);
    }
    if (offsets.length === 0) {
      return error(`No replacement was performed: old_str did not appear verbatim in ${relative}. View the file and copy the exact text, including whitespace and indentation.`);
    }
    if (offsets.length > 1) {
      const lines = offsets.map((o) => lineOf(text, o));
      return error(`No replacement was performed: old_str appears ${offsets.length} times in ${relative} (lines ${lines.join(", ")}). Include more surrounding lines so that it is unique.`);
    }
    const at = offsets[0];
    text = text.slice(0, at) + to + text.slice(at + from.length);
    const written = await writeText(guard, relative, text, stats);
    if (!written.ok) return error(written.reason);
    changed.add(relative);
    const first = lineOf(text, at);
    const last = first + Math.max(1, textLines(to).length) - 1;
    return ok(`The file ${relative} has been edited. ${snippet(text, first, last)}\nReview the changes and make sure they are as expected.`);
  }

  async function insert(relative: string, after: number, insertText: string): Promise<ToolResult> {
    const inspected = await guard.inspect(relative);
    if (!inspected.ok) return error(inspected.reason);
    const stats = inspected.value.stats;
    if (!stats) return error(`${relative} does not exist. Use the create command to make a new file.`);
    const read = await readText(guard, relative, stats);
    if (!read.ok) return error(read.reason);
    const text = read.value;
    const count = textLines(text).length;
    if (after < 0 || after > count) {
      return error(`Invalid insert_line ${after}: ${relative} has ${count} lines; use 0 (before the first line) to ${count} (after the last).`);
    }
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    let added = insertText.replace(/\r?\n/g, eol);
    if (!added.endsWith(eol)) added += eol;
    let offset = 0;
    for (let i = 0; i < after; i++) offset = text.indexOf("\n", offset) + 1 || text.length;
    const head = offset === text.length && text.length > 0 && !text.endsWith("\n") ? text + eol : text.slice(0, offset);
    const result = head + added + text.slice(offset);
    const written = await writeText(guard, relative, result, stats);
    if (!written.ok) return error(written.reason);
    changed.add(relative);
    const addedCount = textLines(added).length;
    return ok(`The file ${relative} has been edited. ${snippet(result, after + 1, after + addedCount)}\nReview the changes and make sure they are as expected (correct indentation, no duplicate lines).`);
  }

  return { execute, changedPaths: () => [...changed].sort() };
}

/** Lines of a text; a trailing newline yields a final "" (as `split` does). CR of CRLF is dropped. */
function splitLines(text: string): string[] {
  return text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/** The lines an editor shows: no phantom empty line after a final newline. */
function textLines(text: string): string[] {
  if (text === "") return [];
  const lines = splitLines(text);
  return text.endsWith("\n") ? lines.slice(0, -1) : lines;
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

const lineOf = (text: string, offset: number): number => text.slice(0, offset).split("\n").length;

function snippet(text: string, firstChanged: number, lastChanged: number): string {
  const lines = textLines(text);
  const start = Math.max(1, firstChanged - 4);
  const end = Math.min(lines.length, Math.max(firstChanged, lastChanged) + 4);
  return `Here are lines ${start}-${end} now:\n${numbered(lines.slice(start - 1, end), start)}`;
}

/** Reads a regular file as UTF-8 text without following a link at the last component. */
export async function readText(guard: WorkspaceGuard, relative: string, stats: Stats): Promise<Checked<string>> {
  if (!stats.isFile()) return fail(`${relative} is not a regular file.`);
  if (stats.size > guard.maxFileBytes) {
    return fail(`${relative} is ${stats.size} bytes, over the ${guard.maxFileBytes}-byte limit for files codegen reads or edits.`);
  }
  const handle = await open(guard.absolute(relative), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const current = await handle.stat();
    if (!current.isFile() || current.ino !== stats.ino) return fail(`${relative} changed while it was being read.`);
    if (current.size > guard.maxFileBytes) return fail(`${relative} is over the ${guard.maxFileBytes}-byte limit.`);
    const text = decodeText(await handle.readFile());
    if (text === undefined) return fail(`${relative} is a binary (or not UTF-8) file; it cannot be viewed or edited as text.`);
    return { ok: true, value: text };
  } finally {
    await handle.close();
  }
}

/**
 * Writes text into a file inside the workspace. Existing files are opened with O_NOFOLLOW and checked
 * to be the same single-link regular file before they are truncated; new files are created with
 * O_EXCL after their parent directories are made one level at a time (each checked not to be a link).
 */
async function writeText(guard: WorkspaceGuard, relative: string, text: string, existing: Stats | undefined): Promise<Checked<void>> {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length > guard.maxFileBytes) {
    return fail(`The new content of ${relative} is ${bytes.length} bytes, over the ${guard.maxFileBytes}-byte limit.`);
  }
  const absolute = guard.absolute(relative);
  if (existing) {
    const handle = await open(absolute, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const current = await handle.stat();
      if (!current.isFile() || current.ino !== existing.ino) return fail(`${relative} changed while it was being edited.`);
      if (current.nlink !== 1) return fail(`${relative} has hard links; codegen does not write through them.`);
      await handle.truncate(0);
      await handle.write(bytes, 0, bytes.length, 0);
    } finally {
      await handle.close();
    }
    return { ok: true, value: undefined };
  }
  const segments = relative.split("/");
  let dir = guard.root;
  for (const segment of segments.slice(0, -1)) {
    dir = path.join(dir, segment);
    try {
      const stats = await lstat(dir);
      if (stats.isSymbolicLink()) return fail(`${path.relative(guard.root, dir)} is a symbolic link; codegen never follows links.`);
      if (!stats.isDirectory()) return fail(`${path.relative(guard.root, dir)} is not a directory.`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      await mkdir(dir, { mode: 0o755 });
    }
  }
  const handle = await open(absolute, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await handle.write(bytes, 0, bytes.length, 0);
  } finally {
    await handle.close();
  }
  return { ok: true, value: undefined };
}
