import { protectedPathMatcher } from "../config/protected-paths.js";
import { PatchRejectedError } from "../errors/index.js";
import { binaryBlockResultSize } from "./git-binary-patch.js";

/**
 * The gate every change passes before the host commits it: a parser and policy for
 * `git diff --binary --full-index` output. Hand-written rather than parse-diff/diff because a security
 * check must read exactly what `git apply` reads: file modes, rename/copy headers, C-quoted names with
 * octal escapes decoded to bytes, and binary patch blocks, none of which those libraries expose.
 */

export interface PatchPolicy {
  /** Allow changes under .github/workflows/ (repository config `allow_workflow_changes`). */
  allowWorkflows?: boolean;
  /** Globs (picomatch, dotfiles included) the change must not touch; `dir` also covers `dir/**`. */
  protectedPaths?: readonly string[];
  maxPatchBytes?: number;
  /** Per file: added bytes of a text change, or the resulting size of a binary one. */
  maxFileBytes?: number;
  maxFiles?: number;
}

export const defaultPatchPolicy: Required<PatchPolicy> = {
  allowWorkflows: false,
  protectedPaths: [],
  maxPatchBytes: 5 * 1024 * 1024,
  maxFileBytes: 1024 * 1024,
  maxFiles: 200,
};

export type PatchFileStatus = "added" | "modified" | "deleted" | "renamed" | "copied";

export interface PatchFile {
  /** The path the change writes (the new path; the old one for a deletion). */
  path: string;
  oldPath: string | null;
  newPath: string | null;
  status: PatchFileStatus;
  oldMode: string | null;
  newMode: string | null;
  binary: boolean;
  /** Added bytes (text) or resulting size (binary). */
  sizeBytes: number;
  /** A new file with mode 100755 (allowed, but worth a reviewer's look). */
  executable: boolean;
}

export interface PatchViolation {
  /** The offending path, printable (control characters escaped). */
  path: string;
  rule:
    | "patch-size"
    | "file-count"
    | "file-size"
    | "malformed"
    | "symlink"
    | "submodule"
    | "mode"
    | "path"
    | "git-dir"
    | "workflow"
    | "protected";
  message: string;
}

/** A patch failed the policy; `violations` lists every problem with its path. */
export class PatchPolicyError extends PatchRejectedError {
  readonly violations: PatchViolation[];
  constructor(violations: PatchViolation[]) {
    const lines = violations.map((v) => `- ${v.path}: ${v.message}`);
    super(
      `The change was rejected (${violations.length} problem${violations.length === 1 ? "" : "s"}); nothing was applied:\n${lines.join("\n")}`,
      violations[0]?.path,
    );
    this.violations = violations;
  }
}

const REGULAR_MODES = new Set(["100644", "100755"]);
const GIT_DIR_SEGMENT = /^\.git[. ]*$|^git~\d+$/i;
const BAD_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\\]/u;

interface RawFile {
  headerOld?: Buffer;
  headerNew?: Buffer;
  minusName?: Buffer | null;
  plusName?: Buffer | null;
  renameFrom?: Buffer;
  renameTo?: Buffer;
  copyFrom?: Buffer;
  copyTo?: Buffer;
  oldMode?: string;
  newMode?: string;
  newFileMode?: string;
  deletedFileMode?: string;
  indexMode?: string;
  addedBytes: number;
  binary: boolean;
  binarySize?: number;
  binaryWithoutData?: boolean;
  problems: string[];
}

/**
 * Validate a `git diff --binary --full-index` patch. Returns the parsed files when every rule holds;
 * throws `PatchPolicyError` (a `PatchRejectedError`) listing every violation otherwise.
 */
export function validatePatch(diff: string | Buffer, policy: PatchPolicy = {}): PatchFile[] {
  const rules = { ...defaultPatchPolicy, ...policy };
  const bytes = Buffer.isBuffer(diff) ? diff : Buffer.from(diff, "utf8");
  if (bytes.length > rules.maxPatchBytes) {
    throw new PatchPolicyError([
      { path: "(patch)", rule: "patch-size", message: `the patch is ${bytes.length} bytes; the limit is ${rules.maxPatchBytes}` },
    ]);
  }
  const violations: PatchViolation[] = [];
  const { files: rawFiles, problems } = parse(bytes.toString("latin1"), rules.maxFileBytes);
  for (const problem of problems) violations.push({ path: "(patch)", rule: "malformed", message: problem });
  if (rawFiles.length > rules.maxFiles) {
    violations.push({ path: "(patch)", rule: "file-count", message: `the patch changes ${rawFiles.length} files; the limit is ${rules.maxFiles}` });
  }
  const isProtected = protectedPathMatcher(rules.protectedPaths);
  const files: PatchFile[] = [];
  for (const raw of rawFiles) {
    const file = checkFile(raw, rules, isProtected, violations);
    if (file) files.push(file);
  }
  if (violations.length > 0) throw new PatchPolicyError(violations);
  return files;
}

function checkFile(
  raw: RawFile,
  rules: Required<PatchPolicy>,
  isProtected: (path: string) => boolean,
  violations: PatchViolation[],
): PatchFile | undefined {
  const added = raw.newFileMode !== undefined;
  const deleted = raw.deletedFileMode !== undefined;
  const oldSources = [raw.renameFrom ?? raw.copyFrom, raw.minusName ?? undefined, raw.headerOld].filter(isBuffer);
  const newSources = [raw.renameTo ?? raw.copyTo, raw.plusName ?? undefined, raw.headerNew].filter(isBuffer);
  const display = printable(newSources[0] ?? oldSources[0] ?? Buffer.from("(unknown)"));
  const flag = (rule: PatchViolation["rule"], message: string, path = display): void => {
    violations.push({ path, rule, message });
  };
  for (const problem of raw.problems) flag("malformed", problem);
  if (!sameNames(oldSources) || !sameNames(newSources)) flag("malformed", "the file names in its headers disagree");
  if (oldSources.length === 0 && newSources.length === 0) {
    flag("malformed", "no file name could be read");
    return undefined;
  }
  const oldPath = added || oldSources.length === 0 ? null : checkPath(oldSources[0], rules, isProtected, flag);
  const samePath = oldPath !== null && newSources.length > 0 && oldSources[0].equals(newSources[0]);
  const newPath = deleted || newSources.length === 0 ? null : samePath ? oldPath : checkPath(newSources[0], rules, isProtected, flag);

  for (const mode of [raw.oldMode, raw.newMode, raw.newFileMode, raw.deletedFileMode, raw.indexMode]) {
    if (mode === undefined) continue;
    if (mode === "120000") flag("symlink", "symlinks are not allowed in a change");
    else if (mode === "160000") flag("submodule", "submodules (gitlinks) are not allowed in a change");
    else if (!REGULAR_MODES.has(mode)) flag("mode", `file mode ${mode} is not allowed (only 100644 and 100755)`);
  }
  if (raw.oldMode !== undefined || raw.newMode !== undefined) {
    flag("mode", `changing the mode of an existing file (${raw.oldMode ?? "?"} -> ${raw.newMode ?? "?"}) is not allowed`);
  }
  if (raw.binaryWithoutData) flag("malformed", "binary change without data: create the patch with git diff --binary");
  const sizeBytes = raw.binary ? (raw.binarySize ?? 0) : raw.addedBytes;
  if (sizeBytes > rules.maxFileBytes) {
    flag("file-size", `${raw.binary ? "the binary file would be" : "the change adds"} ${sizeBytes} bytes; the limit is ${rules.maxFileBytes}`);
  }
  if (oldPath === undefined || newPath === undefined) return undefined;
  const status: PatchFileStatus = added
    ? "added"
    : deleted
      ? "deleted"
      : raw.renameFrom
        ? "renamed"
        : raw.copyFrom
          ? "copied"
          : "modified";
  const newMode = raw.newFileMode ?? raw.newMode ?? (deleted ? null : (raw.indexMode ?? null));
  return {
    path: (newPath ?? oldPath)!,
    oldPath,
    newPath,
    status,
    oldMode: raw.deletedFileMode ?? raw.oldMode ?? (added ? null : (raw.indexMode ?? null)),
    newMode,
    binary: raw.binary,
    sizeBytes,
    executable: newMode === "100755",
  };
}

/** Decode and check one path; returns it, or undefined after flagging why not. */
function checkPath(
  name: Buffer,
  rules: Required<PatchPolicy>,
  isProtected: (path: string) => boolean,
  flag: (rule: PatchViolation["rule"], message: string, path?: string) => void,
): string | undefined {
  const shown = printable(name);
  let path: string;
  try {
    path = new TextDecoder("utf-8", { fatal: true }).decode(name);
  } catch {
    flag("path", "the file name is not valid UTF-8", shown);
    return undefined;
  }
  let ok = true;
  const bad = (rule: PatchViolation["rule"], message: string): void => {
    ok = false;
    flag(rule, message, shown);
  };
  if (BAD_CHARACTERS.test(path)) bad("path", "the file name contains control, invisible or bidirectional characters, or a backslash");
  if (path.startsWith("/")) bad("path", "absolute paths are not allowed");
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) bad("path", "the path has empty, '.' or '..' segments (it could leave the repository)");
  if (segments.some((s) => Buffer.byteLength(s) > 255) || Buffer.byteLength(path) > 4096) bad("path", "the path is too long");
  if (segments.some((s) => GIT_DIR_SEGMENT.test(s))) bad("git-dir", "nothing under .git/ may change");
  if (segments.some((s) => s.toLowerCase() === ".gitmodules")) bad("submodule", ".gitmodules may not change (submodules are not allowed)");
  if (!rules.allowWorkflows && /^\.github\/workflows\//i.test(path)) {
    bad("workflow", "workflow files may change only when the repository allows it (allow_workflow_changes)");
  }
  if (isProtected(path)) bad("protected", "this path is protected by the repository's configuration");
  return ok ? path : undefined;
}

function isBuffer(value: Buffer | null | undefined): value is Buffer {
  return Buffer.isBuffer(value);
}

function sameNames(names: Buffer[]): boolean {
  return names.every((name) => name.equals(names[0]));
}

/** A name for messages: as is when clean UTF-8, otherwise git-style octal escapes for every unsafe byte. */
function printable(name: Buffer): string {
  let text: string | undefined;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(name);
  } catch {
    text = undefined;
  }
  if (text !== undefined && !BAD_CHARACTERS.test(text)) return text;
  let out = "";
  for (const byte of name) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, "0")}`;
  }
  return out;
}

/** Decode a git C-quoted name ("a/\303\244\t") to bytes; the input is a latin1 string (byte = char). */
export function decodeGitQuotedName(quoted: string): Buffer | undefined {
  if (!quoted.startsWith('"') || !quoted.endsWith('"') || quoted.length < 2) return undefined;
  const out: number[] = [];
  const body = quoted.slice(1, -1);
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '"') return undefined;
    if (char !== "\\") {
      out.push(body.charCodeAt(i));
      continue;
    }
    const next = body[++i];
    if (next === undefined) return undefined;
    if (next in simple) out.push(simple[next]);
    else if (/[0-3]/.test(next) && /^[0-7]{2}$/.test(body.slice(i + 1, i + 3))) {
      out.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else return undefined;
  }
  return Buffer.from(out);
}

/** A name token from a header line: C-quoted or raw; strips the expected a/ or b/ prefix. */
function headerName(token: string, prefix: "a/" | "b/", problems: string[]): Buffer | null | undefined {
  if (token === "/dev/null") return null;
  const bytes = token.startsWith('"') ? decodeGitQuotedName(token) : Buffer.from(token, "latin1");
  if (!bytes) {
    problems.push("a quoted file name could not be decoded");
    return undefined;
  }
  if (bytes.subarray(0, 2).toString("latin1") !== prefix) {
    problems.push(`a file name lacks the ${prefix} prefix`);
    return undefined;
  }
  return bytes.subarray(2);
}

/** Split the names of `diff --git <a> <b>`; unquoted names with spaces are split the way git does. */
function splitGitHeader(rest: string, problems: string[]): [Buffer | undefined, Buffer | undefined] {
  if (rest.startsWith('"')) {
    const end = closingQuote(rest, 0);
    if (end < 0 || rest[end + 1] !== " ") return [undefined, undefined];
    const first = headerName(rest.slice(0, end + 1), "a/", problems) ?? undefined;
    const second = headerName(rest.slice(end + 2), "b/", problems) ?? undefined;
    return [first, second];
  }
  if (rest.endsWith('"')) {
    const start = rest.lastIndexOf(' "');
    if (start < 0) return [undefined, undefined];
    return [headerName(rest.slice(0, start), "a/", problems) ?? undefined, headerName(rest.slice(start + 1), "b/", problems) ?? undefined];
  }
  // Same name on both sides: "a/N b/N".
  const length = (rest.length - 5) / 2;
  if (Number.isInteger(length) && length > 0 && rest.startsWith("a/") && rest.slice(2 + length, 5 + length) === " b/") {
    const a = rest.slice(2, 2 + length);
    if (a === rest.slice(5 + length)) return [Buffer.from(a, "latin1"), Buffer.from(a, "latin1")];
  }
  return [undefined, undefined]; // a rename: the rename/---/+++ lines carry the names
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function plainName(rest: string, problems: string[]): Buffer | undefined {
  const bytes = rest.startsWith('"') ? decodeGitQuotedName(rest) : Buffer.from(rest, "latin1");
  if (!bytes) problems.push("a quoted file name could not be decoded");
  return bytes;
}

const MODE_LINE = /^(old mode|new mode|deleted file mode|new file mode) ([0-7]{6})$/;
const INDEX_LINE = /^index [0-9a-f]{7,64}\.\.[0-9a-f]{7,64}(?: ([0-7]{6}))?$/;
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const BINARY_BLOCK = /^(literal|delta) (\d+)$/;

/** Parse into per-file records; structural problems are collected, not thrown. */
function parse(text: string, maxFileBytes: number): { files: RawFile[]; problems: string[] } {
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const files: RawFile[] = [];
  const problems: string[] = [];
  let file: RawFile | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith("diff --git ")) {
      file = { addedBytes: 0, binary: false, problems: [] };
      files.push(file);
      [file.headerOld, file.headerNew] = splitGitHeader(line.slice("diff --git ".length), file.problems);
      i++;
      continue;
    }
    if (!file) {
      problems.push(`unexpected text before the first "diff --git" line (line ${i + 1})`);
      break;
    }
    const mode = MODE_LINE.exec(line);
    if (mode) {
      const key = { "old mode": "oldMode", "new mode": "newMode", "deleted file mode": "deletedFileMode", "new file mode": "newFileMode" }[mode[1]] as
        | "oldMode"
        | "newMode"
        | "deletedFileMode"
        | "newFileMode";
      file[key] = mode[2];
      i++;
      continue;
    }
    const index = INDEX_LINE.exec(line);
    if (index) {
      if (index[1]) file.indexMode = index[1];
      i++;
      continue;
    }
    if (/^(similarity|dissimilarity) index \d{1,3}%$/.test(line)) {
      i++;
      continue;
    }
    const named = /^(rename from|rename to|copy from|copy to) (.*)$/.exec(line);
    if (named) {
      const key = { "rename from": "renameFrom", "rename to": "renameTo", "copy from": "copyFrom", "copy to": "copyTo" }[named[1]] as
        | "renameFrom"
        | "renameTo"
        | "copyFrom"
        | "copyTo";
      file[key] = plainName(named[2], file.problems);
      i++;
      continue;
    }
    // Git ends an unquoted name that contains a space with a TAB (a name ending in TAB would be quoted).
    if (line.startsWith("--- ")) {
      file.minusName = headerName(line.slice(4).replace(/\t$/, ""), "a/", file.problems);
      i++;
      continue;
    }
    if (line.startsWith("+++ ")) {
      file.plusName = headerName(line.slice(4).replace(/\t$/, ""), "b/", file.problems);
      i++;
      continue;
    }
    if (/^Binary files .* differ$/.test(line)) {
      file.binary = true;
      file.binaryWithoutData = true;
      i++;
      continue;
    }
    if (line === "GIT binary patch") {
      file.binary = true;
      i = parseBinary(lines, i + 1, file, maxFileBytes);
      continue;
    }
    const hunk = HUNK_HEADER.exec(line);
    if (hunk) {
      i = parseHunk(lines, i + 1, Number(hunk[2] ?? 1), Number(hunk[4] ?? 1), file);
      continue;
    }
    file.problems.push(`unrecognised line ${i + 1}: ${JSON.stringify(line.slice(0, 80))}`);
    i++;
  }
  return { files, problems };
}

function parseHunk(lines: string[], start: number, oldCount: number, newCount: number, file: RawFile): number {
  let i = start;
  let oldLeft = oldCount;
  let newLeft = newCount;
  while (i < lines.length && (oldLeft > 0 || newLeft > 0 || lines[i].startsWith("\\"))) {
    const line = lines[i];
    const kind = line[0];
    if (kind === " " || (line === "" && oldLeft > 0 && newLeft > 0)) {
      oldLeft--;
      newLeft--;
    } else if (kind === "-") oldLeft--;
    else if (kind === "+") {
      newLeft--;
      file.addedBytes += line.length; // latin1: one char per byte; the newline replaces the '+'
    } else if (kind !== "\\") {
      file.problems.push(`hunk ends early at line ${i + 1}`);
      return i;
    }
    i++;
  }
  if (oldLeft !== 0 || newLeft !== 0) file.problems.push("a hunk is shorter than its header says");
  return i;
}

function parseBinary(lines: string[], start: number, file: RawFile, maxFileBytes: number): number {
  let i = start;
  // Forward block (what the file becomes), then the reverse block; each ends with an empty line.
  for (let block = 0; block < 2 && i < lines.length; block++) {
    const header = BINARY_BLOCK.exec(lines[i]);
    if (!header) {
      if (block === 0) file.problems.push(`binary patch without a literal/delta block at line ${i + 1}`);
      return i;
    }
    i++;
    const data: string[] = [];
    while (i < lines.length && lines[i] !== "") data.push(lines[i++]);
    i++; // the empty line
    if (block === 1) continue;
    const stated = Number(header[2]);
    if (header[1] === "literal" && stated > maxFileBytes) {
      file.binarySize = stated;
      continue;
    }
    try {
      file.binarySize = binaryBlockResultSize(header[1] as "literal" | "delta", stated, data);
    } catch (error) {
      file.problems.push(`corrupt binary patch (${(error as Error).message})`);
    }
  }
  return i;
}
