import { runGit } from "../../git/safe-git.js";
import type { Logger } from "../../logging/logger.js";
import { silentLogger } from "../../logging/logger.js";
import type { SignalScores } from "./signal.js";

/** One past commit: the files it changed. */
export interface HistoryCommit {
  files: string[];
}

/** Commits touching more files than this are sweeping refactors or imports; they say nothing about coupling. */
const MAX_FILES_PER_COMMIT = 30;

/**
 * The last `maxCommits` non-merge commits up to `commit`. Commits without parents are skipped: in a shallow
 * clone the only commit is a graft whose "change" is the whole tree, so the signal degrades to nothing.
 */
export async function readHistory(repoDir: string, commit: string, options: { maxCommits?: number; log?: Logger } = {}): Promise<HistoryCommit[]> {
  const log = options.log ?? silentLogger;
  const maxCommits = options.maxCommits ?? 1000;
  let out: string;
  try {
    const buffer = await runGit(
      ["log", "--no-merges", "--no-renames", `-n${maxCommits}`, "--format=%x1e%P", "--name-only", commit, "--"],
      { cwd: repoDir, timeoutMs: 60_000 },
    );
    out = buffer.toString("utf8");
  } catch (error) {
    log.debug({ err: (error as Error).message }, "context: no git history");
    return [];
  }
  const commits: HistoryCommit[] = [];
  for (const record of out.split("\x1e")) {
    const [parents, ...rest] = record.split("\n");
    if (parents === undefined || parents.trim() === "") continue;
    const files = rest.map((l) => l.trim()).filter(Boolean);
    if (files.length === 0 || files.length > MAX_FILES_PER_COMMIT) continue;
    commits.push({ files: [...new Set(files)].sort() });
  }
  return commits;
}

/**
 * Files changed together with the seed files, weighted by the seeds' scores: for seed s and file f,
 * (commits with both) / (commits with s), each commit counting 1/(its size - 1) so big commits count less.
 */
export function coChangeScores(history: readonly HistoryCommit[], seeds: ReadonlyMap<string, number>, candidates: ReadonlySet<string>): SignalScores {
  const scores: SignalScores = new Map();
  if (seeds.size === 0) return scores;
  const seedCommits = new Map<string, number>();
  const together = new Map<string, Map<string, number>>();
  for (const { files } of history) {
    const presentSeeds = files.filter((f) => seeds.has(f));
    if (presentSeeds.length === 0) continue;
    const weight = files.length > 1 ? 1 / (files.length - 1) : 0;
    for (const seed of presentSeeds) {
      seedCommits.set(seed, (seedCommits.get(seed) ?? 0) + 1);
      for (const file of files) {
        if (file === seed || !candidates.has(file)) continue;
        let row = together.get(seed);
        if (!row) together.set(seed, (row = new Map()));
        row.set(file, (row.get(file) ?? 0) + weight);
      }
    }
  }
  for (const [seed, row] of together) {
    const seedWeight = seeds.get(seed)!;
    const base = seedCommits.get(seed)!;
    for (const [file, count] of row) {
      const value = (seedWeight * count) / (base + 1);
      const entry = scores.get(file);
      if (entry) {
        entry.score += value;
        if (entry.details.length < 3) entry.details.push(seed);
      } else scores.set(file, { score: value, details: [seed] });
    }
  }
  for (const entry of scores.values()) entry.details = entry.details.map((s) => `changed with ${s}`);
  return scores;
}
