import { constants } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { runGit } from "../git/safe-git.js";
import type { Logger } from "../logging/logger.js";
import { silentLogger } from "../logging/logger.js";
import { distinctiveLines, findBundles } from "./bundles.js";
import { protectedPathMatcher } from "../config/protected-paths.js";
import { classifyContent, classifyPath, KIND_WEIGHT, MAX_FILE_BYTES, MAX_SOURCE_BYTES, type FileKind } from "./candidates.js";
import { isIssueTemplate, templatePhrases } from "./issue-template.js";
import { renderFileBlock } from "./prompt-format.js";
import { TagExtractor, extractImports, extractRefs, type Definition } from "./tags/extract-tags.js";
import { extractMessages } from "./signals/messages.js";
import { pathTerms, termCounts } from "./text-terms.js";
import { countTokens } from "./token-count.js";

/** A function or method's lines and terms, for function-level lexical search. */
export interface Chunk {
  name: string;
  line: number;
  endLine: number;
  terms: Record<string, number>;
}

/** Everything the selector knows about one candidate file; serialisable, so it can be cached per commit. */
export interface IndexedFile {
  path: string;
  kind: FileKind;
  bytes: number;
  /** Tokens of the file as rendered into the prompt (as a target). */
  tokens: number;
  language: string;
  pathTerms: string[];
  terms: Record<string, number>;
  defs: Definition[];
  refs: Record<string, number>;
  imports: string[];
  chunks: Chunk[];
  /** Message-like fragments of the file's string literals (source files only); see signals/messages.ts. */
  messages?: string[];
}

export interface RepoIndex {
  files: IndexedFile[];
  /** Phrases of the repository's issue templates, removed from tasks before searching. */
  templatePhrases: string[];
  /** Files left out entirely, by kind (generated, vendored, lockfile, binary, ...). */
  dropped: Partial<Record<FileKind, number>>;
}

/** Lines per chunk for files without a grammar (plain-text fallback of function-level search). */
const WINDOW_LINES = 60;
/** Definitions of these kinds are chunks of their own; classes are covered by their methods. */
const CHUNK_KINDS = new Set(["function", "method"]);

/** Tracked files (git ls-files), or a walk of the directory when it is not a git work tree. */
export async function listRepoFiles(repoDir: string): Promise<string[]> {
  try {
    const out = await runGit(["ls-files", "-z", "--cached"], { cwd: repoDir, timeoutMs: 60_000 });
    return out.toString("utf8").split("\0").filter(Boolean).sort();
  } catch {
    const files: string[] = [];
    await walk(repoDir, "", files);
    return files.sort();
  }
}

const SKIPPED_DIRS = new Set([".git", "node_modules", ".hg", ".svn"]);

async function walk(root: string, prefix: string, out: string[]): Promise<void> {
  const entries = await readdir(join(root, prefix), { withFileTypes: true });
  for (const entry of entries) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(root, path, out);
    } else if (entry.isFile()) out.push(path);
  }
}

/**
 * Read a regular file, never following a symlink; undefined for anything else. By default one byte more than the
 * largest candidate, so that `classifyContent` sees when a file is over its limit.
 */
export async function readRegularFile(repoDir: string, path: string, maxBytes: number = Math.max(MAX_FILE_BYTES, MAX_SOURCE_BYTES) + 1): Promise<Buffer | undefined> {
  const full = join(repoDir, path);
  const stat = await lstat(full).catch(() => undefined);
  if (!stat || !stat.isFile()) return undefined;
  // O_NOFOLLOW: the path cannot have been swapped for a link between lstat and open.
  const handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const size = Math.min(stat.size, maxBytes);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function chunksOf(content: string, defs: Definition[], language: string): Chunk[] {
  if (language === "text") return lineWindowChunks(content);
  const lines = content.split("\n");
  const chunks: Chunk[] = [];
  for (const def of defs) {
    if (!CHUNK_KINDS.has(def.kind)) continue;
    const text = lines.slice(def.line - 1, def.endLine).join("\n");
    chunks.push({ name: def.name, line: def.line, endLine: def.endLine, terms: Object.fromEntries(termCounts(text)) });
  }
  return chunks;
}

/** Windows of `size` lines: the chunks of a file without parsed definitions (none if it is one window). */
export function lineWindowChunks(content: string, size = WINDOW_LINES): Chunk[] {
  const lines = content.split("\n");
  const chunks: Chunk[] = [];
  if (lines.length <= size) return chunks;
  for (let start = 0; start < lines.length; start += size) {
    const end = Math.min(lines.length, start + size);
    const text = lines.slice(start, end).join("\n");
    chunks.push({ name: `lines ${start + 1}-${end}`, line: start + 1, endLine: end, terms: Object.fromEntries(termCounts(text)) });
  }
  return chunks;
}

export interface BuildIndexOptions {
  excluded?: readonly string[];
  log?: Logger;
}

/** List, filter, read and index the repository's candidate files. */
export async function buildRepoIndex(repoDir: string, options: BuildIndexOptions = {}): Promise<RepoIndex> {
  const log = options.log ?? silentLogger;
  const isExcluded = protectedPathMatcher(options.excluded);
  const paths = (await listRepoFiles(repoDir)).filter((path) => !isExcluded(path));
  const extractor = await TagExtractor.create();
  let files: IndexedFile[] = [];
  const dropped: Partial<Record<FileKind, number>> = {};
  const drop = (kind: FileKind) => (dropped[kind] = (dropped[kind] ?? 0) + 1);
  const phrases = new Set<string>();
  const sourceLines = new Map<string, Uint32Array>();
  try {
    for (const path of paths) {
      if (isIssueTemplate(path)) {
        const template = await readRegularFile(repoDir, path, 64 * 1024);
        if (template) for (const phrase of templatePhrases(path, template.toString("utf8"))) phrases.add(phrase);
      }
      const pathKind = classifyPath(path);
      if (KIND_WEIGHT[pathKind] === 0) {
        drop(pathKind);
        continue;
      }
      const buffer = await readRegularFile(repoDir, path);
      if (!buffer) continue;
      const kind = classifyContent(pathKind, buffer, path);
      if (KIND_WEIGHT[kind] === 0) {
        drop(kind);
        continue;
      }
      const content = buffer.toString("utf8");
      if (kind === "source") sourceLines.set(path, distinctiveLines(content));
      const parsed = kind === "source" || kind === "types";
      const tags = parsed
        ? await extractor.extract(path, content)
        : { language: "text", defs: [] as Definition[], refs: kind === "test" ? {} : extractRefs(content), imports: extractImports(content, path) };
      files.push({
        path,
        kind,
        bytes: buffer.length,
        tokens: countTokens(renderFileBlock(path, "target", content)),
        language: tags.language,
        pathTerms: pathTerms(path),
        terms: Object.fromEntries(termCounts(content)),
        defs: tags.defs,
        refs: tags.refs,
        imports: tags.imports,
        chunks: parsed ? chunksOf(content, tags.defs, tags.language) : [],
        ...(kind === "source" ? { messages: extractMessages(content) } : {}),
      });
    }
  } finally {
    extractor.dispose();
  }
  const bundles = findBundles(sourceLines);
  if (bundles.length > 0) {
    const bundlePaths = new Set(bundles.map((bundle) => bundle.path));
    dropped.generated = (dropped.generated ?? 0) + bundlePaths.size;
    log.debug({ bundles: bundles.map((b) => ({ path: b.path, contains: b.contains.length })) }, "context: build output committed beside its sources left out");
    files = files.filter((file) => !bundlePaths.has(file.path));
  }
  log.debug({ files: files.length, dropped }, "context: repository indexed");
  return { files, dropped, templatePhrases: [...phrases].sort() };
}
