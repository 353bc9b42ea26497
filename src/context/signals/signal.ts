/** One signal's verdict: a score per file and short human-readable evidence. */
export interface SignalScore {
  score: number;
  details: string[];
}

export type SignalScores = Map<string, SignalScore>;

export function addScore(scores: SignalScores, path: string, value: number, detail?: string): void {
  const entry = scores.get(path);
  if (entry) {
    entry.score += value;
    if (detail && !entry.details.includes(detail) && entry.details.length < 5) entry.details.push(detail);
  } else scores.set(path, { score: value, details: detail ? [detail] : [] });
}

/** Add `from`'s scores and evidence to `into`'s. */
export function mergeScores(into: SignalScores, from: SignalScores): SignalScores {
  for (const [path, entry] of from) {
    addScore(into, path, entry.score);
    for (const detail of entry.details) addScore(into, path, 0, detail);
  }
  return into;
}

/** Scale scores so the best is 1. */
export function normalizeByMax(scores: SignalScores): SignalScores {
  let max = 0;
  for (const { score } of scores.values()) max = Math.max(max, score);
  if (max <= 0) return new Map();
  const out: SignalScores = new Map();
  for (const [path, entry] of scores) out.set(path, { score: entry.score / max, details: entry.details });
  return out;
}
