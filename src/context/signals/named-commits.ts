import { commitSubject, issueReferences, type HistoryCommit } from "./history.js";
import { addScore, type SignalScores } from "./signal.js";

/**
 * Commits the issue points at: "I believe it was the commit f54a32f", a `/commit/<sha>` link, "a regression from
 * #1234" (the pull request's squashed commit, or a commit that fixed the related issue). A regression's fix
 * usually goes where the named change went. Each named commit gives its files 1 / (number of files), so a
 * focused commit points as hard as naming the file; the sum is capped at 1.
 */

/** A link to a snapshot (`/blob/<sha>/path`) names a version of the tree, not a change. */
const SNAPSHOT_LINK = /\/(?:blob|tree|raw|blame)\/[0-9a-f]{7,40}\b/gi;
const FENCED_CODE = /```[\s\S]*?```/g;
const INLINE_CODE = /`[^`\n]*`/g;
const HASH = /\b[0-9a-f]{7,40}\b/gi;

/** Commit hash prefixes in the prose of a task (both digits and letters, as in every abbreviated hash seen). */
export function namedHashes(task: string): string[] {
  const prose = task.replace(FENCED_CODE, " ").replace(SNAPSHOT_LINK, " ");
  const hashes = new Set<string>();
  for (const [token] of prose.matchAll(HASH)) if (/\d/.test(token) && /[a-f]/i.test(token)) hashes.add(token.toLowerCase());
  return [...hashes];
}

/** Issue and pull request numbers in the prose of a task; code is left out (`#333` there is a colour). */
export function namedIssues(task: string): number[] {
  return issueReferences(task.replace(FENCED_CODE, " ").replace(INLINE_CODE, " "));
}

export function namedCommitScores(history: readonly HistoryCommit[], task: string, candidates: ReadonlySet<string>): SignalScores {
  const scores: SignalScores = new Map();
  const hashes = namedHashes(task);
  const issues = new Set(namedIssues(task));
  if (hashes.length === 0 && issues.size === 0) return scores;
  for (const commit of history) {
    const hash = commit.hash && hashes.find((prefix) => commit.hash!.startsWith(prefix));
    const issue = commit.refs?.find((ref) => issues.has(ref));
    if (!hash && issue === undefined) continue;
    const subject = commitSubject(commit);
    const detail = hash ? `named commit ${hash.slice(0, 7)} "${subject}"` : `commit "${subject}" refers to #${issue}`;
    for (const file of commit.files) if (candidates.has(file)) addScore(scores, file, 1 / commit.files.length, detail);
  }
  for (const entry of scores.values()) entry.score = Math.min(1, entry.score);
  return scores;
}
