import { termCounts } from "../text-terms.js";
import { Bm25, queryTerms } from "./bm25.js";
import { commitSubject, type HistoryCommit } from "./history.js";
import { addScore, type SignalScores } from "./signal.js";

/** How many of the most similar past commits lend their files a score. */
const SIMILAR_COMMITS = 10;

/**
 * Files changed by past commits whose messages read like the issue ("fix plural units in relativeTime" for a
 * report about relative time): a bug tends to recur where similar ones were fixed (BugLocator's similar-report
 * score, with commit messages standing in for past reports). BM25 over the messages of the history read; each
 * of the closest commits gives its score to the files it changed, divided by their number, so that a focused
 * commit points harder than a broad one (dividing by the square root let broad commits pull in siblings).
 */
export function pastCommitScores(history: readonly HistoryCommit[], task: string, candidates: ReadonlySet<string>): SignalScores {
  const scores: SignalScores = new Map();
  const commits = history.filter((c) => c.message);
  if (commits.length === 0) return scores;
  const index = new Bm25(commits.map((c, i) => ({ id: String(i), terms: termCounts(c.message!) })));
  const closest = [...index.score(queryTerms(task))].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, SIMILAR_COMMITS);
  for (const [doc, similarity] of closest) {
    const commit = commits[doc];
    const subject = commitSubject(commit);
    for (const file of commit.files) {
      if (candidates.has(file)) addScore(scores, file, similarity / commit.files.length, `changed by "${subject}"`);
    }
  }
  return scores;
}
