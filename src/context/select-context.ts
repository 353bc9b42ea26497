import type { Logger } from "../logging/logger.js";
import { silentLogger } from "../logging/logger.js";
import { cacheKey, defaultCacheDir, INDEX_VERSION, readCachedIndex, writeCachedIndex } from "./cache.js";
import { protectedPathMatcher } from "../config/protected-paths.js";
import { packContext } from "./pack.js";
import { rankFiles, type RankOptions } from "./rank.js";
import { buildRepoIndex, readRegularFile, type RepoIndex } from "./repo-index.js";
import { isShallowRepository, readHistory, type HistoryCommit } from "./signals/history.js";
import type { ContextSelection, SelectContextInput } from "./types.js";

export interface LoadedRepository {
  index: RepoIndex;
  history: HistoryCommit[];
  cacheHit: boolean;
}

/**
 * The index and history of a repository, from the commit-keyed cache when the caller names the commit
 * (an uncommitted work tree is never cached: its content is not what the commit says).
 */
export async function loadRepository(
  input: Pick<SelectContextInput, "repoDir" | "commit" | "excluded" | "cacheDir" | "historyDir">,
  log: Logger = silentLogger,
): Promise<LoadedRepository> {
  const cacheDir = input.cacheDir === false ? undefined : (input.cacheDir ?? defaultCacheDir());
  const key = input.commit ? cacheKey(input.commit, input.excluded) : undefined;
  if (cacheDir && key && input.commit) {
    const cached = await readCachedIndex(cacheDir, key, input.commit, log);
    if (cached) return { index: cached.index, history: cached.history, cacheHit: true };
  }
  const [index, history] = await Promise.all([
    buildRepoIndex(input.repoDir, { excluded: input.excluded, log }),
    readHistory(input.historyDir ?? input.repoDir, input.commit ?? "HEAD", { log }),
  ]);
  const isExcluded = protectedPathMatcher(input.excluded);
  const visibleHistory = history.map((c) => ({ ...c, files: c.files.filter((f) => !isExcluded(f)) })).filter((c) => c.files.length > 0);
  // A shallow clone without history would pin "no history" to this commit for every later job.
  const historyMissing = visibleHistory.length === 0 && (await isShallowRepository(input.historyDir ?? input.repoDir));
  if (cacheDir && key && input.commit && !historyMissing) {
    await writeCachedIndex(cacheDir, key, { version: INDEX_VERSION, commit: input.commit, index, history: visibleHistory }, log);
  }
  return { index, history: visibleHistory, cacheHit: false };
}

/**
 * Pick the files a task needs within a token budget: rank every candidate by the fused signals (mentions,
 * quoted messages, BM25 at file and function level, code graph, definitions the best files use, co-change
 * history), then pack
 * targets, their tests and types, and a repository map. Deterministic; reads only the clone and its git history; no network, no model.
 */
export async function selectContext(input: SelectContextInput, log: Logger = silentLogger, options: RankOptions = {}): Promise<ContextSelection> {
  const started = performance.now();
  const repo = await loadRepository(input, log);
  const ranking = rankFiles(repo.index, input.task, { history: repo.history, focus: input.focus, focusReason: input.focusReason, discussion: input.discussion, ...options });
  const selection = await packContext({
    index: repo.index,
    ranked: ranking.files,
    resolver: ranking.resolver,
    budget: input.budget,
    read: async (path) => (await readRegularFile(input.repoDir, path))?.toString("utf8"),
    task: input.task,
  });
  const elapsedMs = Math.round(performance.now() - started);
  selection.stats = { candidates: repo.index.files.length, dropped: repo.index.dropped, cacheHit: repo.cacheHit, elapsedMs };
  log.info(
    { candidates: repo.index.files.length, included: selection.included.length, usedTokens: selection.usedTokens, cacheHit: repo.cacheHit, elapsedMs },
    "context: selected",
  );
  return selection;
}
