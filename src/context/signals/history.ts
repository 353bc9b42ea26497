import { runGit } from "../../git/safe-git.js";
import type { Logger } from "../../logging/logger.js";
import { silentLogger } from "../../logging/logger.js";
import type { SignalScores } from "./signal.js";

/** One past commit: the files it changed and the start of its message. */
export interface HistoryCommit {
  files: string[];
  message?: string;
  /** Full hash, so that an issue naming the commit ("broke in f54a32f") can be followed to its files. */
  hash?: string;
  /** Issue and pull request numbers its whole message refers to ("Fixes #123", "(#456)", "gh-789"). */
  refs?: number[];
}

/** `#123`, `gh-123`, `GH-123` and issue or pull request links: what a commit message or an issue refers to. */
const ISSUE_REFERENCE = /(?:^|[\s(\[,;:])(?:#|gh-)(\d{1,7})\b|\/(?:issues|pull)\/(\d{1,7})\b/gi;

/** The issue and pull request numbers a text refers to, in order of first appearance. */
export function issueReferences(text: string): number[] {
  const numbers = new Set<number>();
  for (const match of text.matchAll(ISSUE_REFERENCE)) numbers.add(Number(match[1] ?? match[2]));
  return [...numbers];
}

/** A commit's subject line, shortened for evidence ("changed by …"). */
export function commitSubject(commit: HistoryCommit): string {
  return (commit.message ?? "").split("\n", 1)[0].slice(0, 60);
}

/** Enough of a commit message for its subject and the first lines of its body. */
const MAX_MESSAGE_CHARS = 400;

/** Commits touching more files than this are sweeping refactors or imports; they say nothing about coupling. */
const MAX_FILES_PER_COMMIT = 30;

/** True when the repository is a shallow clone (its history stops at a graft), or cannot be read. */
export async function isShallowRepository(repoDir: string): Promise<boolean> {
  try {
    return (await runGit(["rev-parse", "--is-shallow-repository"], { cwd: repoDir, timeoutMs: 10_000 })).toString("utf8").trim() !== "false";
  } catch {
    return true;
  }
}

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
      ["log", "--no-merges", "--no-renames", `-n${maxCommits}`, "--format=%x1e%H%x1f%P%x1f%B%x1f", "--name-only", commit, "--"],
      { cwd: repoDir, timeoutMs: 60_000 },
    );
    out = buffer.toString("utf8");
  } catch (error) {
    log.debug({ err: (error as Error).message }, "context: no git history");
    return [];
  }
  const commits: HistoryCommit[] = [];
  for (const record of out.split("\x1e")) {
    const [hash = "", parents = "", body = "", names = ""] = record.split("\x1f");
    if (parents.trim() === "") continue;
    const files = names.split("\n").map((l) => l.trim()).filter(Boolean);
    if (files.length === 0 || files.length > MAX_FILES_PER_COMMIT) continue;
    const message = body.trim().slice(0, MAX_MESSAGE_CHARS);
    const refs = issueReferences(body);
    commits.push({ files: [...new Set(files)].sort(), hash: hash.trim(), ...(message ? { message } : {}), ...(refs.length ? { refs } : {}) });
  }
  return commits;
}

/**
 * Files changed together with the seed files, weighted by the seeds' scores. The association of seed s and
 * file f is a cosine: (commits with both) / sqrt(commits with s × commits with f), each shared commit counting
 * 1/(its size - 1) so that big commits count less; dividing by f's own changes keeps hub files that change with
 * everything (entry points, constants) from collecting every seed's mass.
 */
export function coChangeScores(history: readonly HistoryCommit[], seeds: ReadonlyMap<string, number>, candidates: ReadonlySet<string>): SignalScores {
  const scores: SignalScores = new Map();
  if (seeds.size === 0) return scores;
  const changes = new Map<string, number>();
  const together = new Map<string, Map<string, number>>();
  for (const { files } of history) {
    for (const file of files) changes.set(file, (changes.get(file) ?? 0) + 1);
    const presentSeeds = files.filter((f) => seeds.has(f));
    if (presentSeeds.length === 0 || files.length < 2) continue;
    const weight = 1 / (files.length - 1);
    for (const seed of presentSeeds) {
      let row = together.get(seed);
      if (!row) together.set(seed, (row = new Map()));
      for (const file of files) {
        if (file === seed || !candidates.has(file)) continue;
        row.set(file, (row.get(file) ?? 0) + weight);
      }
    }
  }
  const contributions = new Map<string, { seed: string; value: number }[]>();
  for (const [seed, row] of together) {
    const seedWeight = seeds.get(seed)!;
    const seedChanges = changes.get(seed)!;
    for (const [file, count] of row) {
      const value = (seedWeight * count) / Math.sqrt(seedChanges * (changes.get(file) ?? 1));
      const list = contributions.get(file);
      if (list) list.push({ seed, value });
      else contributions.set(file, [{ seed, value }]);
    }
  }
  for (const [file, list] of contributions) {
    list.sort((a, b) => b.value - a.value || a.seed.localeCompare(b.seed));
    scores.set(file, { score: list.reduce((sum, c) => sum + c.value, 0), details: list.slice(0, 3).map((c) => `changed with ${c.seed}`) });
  }
  return scores;
}
