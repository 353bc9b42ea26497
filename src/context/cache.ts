import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Logger } from "../logging/logger.js";
import type { RepoIndex } from "./repo-index.js";
import type { HistoryCommit } from "./signals/history.js";

/** Bump when the index format or anything that feeds it changes, so old entries are never read. */
export const INDEX_VERSION = 32;

export interface CachedIndex {
  version: number;
  commit: string;
  index: RepoIndex;
  history: HistoryCommit[];
}

/** `CODEGEN_CACHE_DIR`, else `~/.cache/codegen`; the context cache lives in its `context/` folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.CODEGEN_CACHE_DIR || join(homedir(), ".cache", "codegen"), "context");
}

/** A commit names the exact tree and history, so the index of (commit, exclusions) never goes stale. */
export function cacheKey(commit: string, excluded: readonly string[] = []): string {
  const hash = createHash("sha256")
    .update(JSON.stringify({ v: INDEX_VERSION, commit, excluded: [...excluded].sort() }))
    .digest("hex");
  return hash.slice(0, 40);
}

export async function readCachedIndex(dir: string, key: string, commit: string, log: Logger): Promise<CachedIndex | undefined> {
  try {
    const data = JSON.parse(gunzipSync(await readFile(join(dir, `${key}.json.gz`))).toString("utf8")) as CachedIndex;
    if (data.version !== INDEX_VERSION || data.commit !== commit) return undefined;
    return data;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") log.warn({ err: (error as Error).message }, "context: cache entry unreadable; rebuilding");
    return undefined;
  }
}

/** Entries kept per cache folder; the least recently written go first (an entry is 0.1–10 MB). */
export const MAX_CACHE_ENTRIES = 64;

/** Write atomically (temporary file, then rename) so concurrent jobs never read half an entry. */
export async function writeCachedIndex(dir: string, key: string, entry: CachedIndex, log: Logger, maxEntries: number = MAX_CACHE_ENTRIES): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temporary = join(dir, `${key}.${process.pid}.${Date.now()}.tmp`);
    await writeFile(temporary, gzipSync(JSON.stringify(entry), { level: 1 }), { mode: 0o600 });
    await rename(temporary, join(dir, `${key}.json.gz`));
    await evictOldEntries(dir, maxEntries);
  } catch (error) {
    log.warn({ err: (error as Error).message }, "context: could not write the cache");
  }
}

async function evictOldEntries(dir: string, maxEntries: number): Promise<void> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".json.gz"));
  if (names.length <= maxEntries) return;
  const entries = await Promise.all(names.map(async (name) => ({ name, mtime: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  entries.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));
  for (const { name } of entries.slice(0, entries.length - maxEntries)) await unlink(join(dir, name)).catch(() => {});
}
