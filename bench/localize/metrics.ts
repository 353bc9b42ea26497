/** Localization metrics; pure. Gold files come from the patch, read only here, at scoring time. */
import parseDiff from "parse-diff";
import { createHash } from "node:crypto";
import { isExcerptRole, type IncludedRole } from "../../src/context/types.js";

/**
 * The held-out split of a data set: half A (development) or B (held out), by the first byte of the SHA-256 of
 * the instance id, so that it is fixed for every instance whatever else the file holds.
 */
export function halfOf(instanceId: string): "A" | "B" {
  return createHash("sha256").update(instanceId).digest()[0] % 2 === 0 ? "A" : "B";
}

/** Files a unified diff changes (the b/ side; the a/ side for deletions). */
export function goldFilesOfPatch(patch: string): string[] {
  const files = new Set<string>();
  for (const match of patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) {
    files.add(match[2] === "/dev/null" ? match[1] : match[2]);
  }
  return [...files].sort();
}

export interface InstanceScore {
  acc: Record<number, number>;
  recall: Record<number, number>;
  rr: number;
  budgetRecall: Record<number, number>;
  budgetAcc: Record<number, number>;
}

export const KS = [1, 3, 5, 10] as const;

export function scoreRanking(ranked: readonly string[], packed: Record<number, readonly string[]>, gold: readonly string[]): InstanceScore {
  const goldSet = new Set(gold);
  const acc: Record<number, number> = {};
  const recall: Record<number, number> = {};
  for (const k of KS) {
    const top = new Set(ranked.slice(0, k));
    const hits = gold.filter((g) => top.has(g)).length;
    recall[k] = gold.length ? hits / gold.length : 0;
    acc[k] = gold.length && hits === gold.length ? 1 : 0;
  }
  const first = ranked.findIndex((p) => goldSet.has(p));
  const budgetRecall: Record<number, number> = {};
  const budgetAcc: Record<number, number> = {};
  for (const [budget, files] of Object.entries(packed)) {
    const set = new Set(files);
    const hits = gold.filter((g) => set.has(g)).length;
    budgetRecall[Number(budget)] = gold.length ? hits / gold.length : 0;
    budgetAcc[Number(budget)] = gold.length && hits === gold.length ? 1 : 0;
  }
  return { acc, recall, rr: first === -1 ? 0 : 1 / (first + 1), budgetRecall, budgetAcc };
}

export function meanScores(scores: readonly InstanceScore[]): InstanceScore {
  const mean = (pick: (s: InstanceScore) => number) => scores.reduce((a, s) => a + pick(s), 0) / Math.max(1, scores.length);
  const keysOf = (r: Record<number, number> | undefined) => Object.keys(r ?? {}).map(Number);
  const out: InstanceScore = { acc: {}, recall: {}, rr: mean((s) => s.rr), budgetRecall: {}, budgetAcc: {} };
  for (const k of KS) {
    out.acc[k] = mean((s) => s.acc[k]);
    out.recall[k] = mean((s) => s.recall[k]);
  }
  for (const b of keysOf(scores[0]?.budgetRecall)) {
    out.budgetRecall[b] = mean((s) => s.budgetRecall[b]);
    out.budgetAcc[b] = mean((s) => s.budgetAcc[b]);
  }
  return out;
}

/**
 * Issue 4's comparison of the selector with a baseline at R@k: the lead, and what bounds it. A ranking can lead by
 * at most what the baseline misses (100 − its R@k): where BM25 already recalls 90, +20 is out of reach whatever the
 * ranking does, so the share of the baseline's misses the selector recovers is reported beside the lead.
 */
export interface LeadOverBaseline {
  /** The cut-off the recalls are taken at. */
  k: (typeof KS)[number];
  /** Selector's mean R@k minus the baseline's (a fraction, −1…1). */
  lead: number;
  /** The largest lead any ranking could have: 1 − the baseline's mean R@k. */
  headroom: number;
  /** lead / headroom; undefined when the baseline misses nothing. */
  recovered: number | undefined;
  /** Instances where the selector's R@k is higher, and lower, than the baseline's. */
  wins: number;
  losses: number;
}

export function leadOverBaseline(selector: readonly InstanceScore[], baseline: readonly InstanceScore[], k: (typeof KS)[number] = 5): LeadOverBaseline {
  if (selector.length !== baseline.length) throw new Error(`leadOverBaseline: ${selector.length} selector scores against ${baseline.length} baseline scores; both must score the same instances.`);
  const mean = (scores: readonly InstanceScore[]) => scores.reduce((sum, s) => sum + s.recall[k], 0) / Math.max(1, scores.length);
  const baselineRecall = mean(baseline);
  const lead = mean(selector) - baselineRecall;
  const headroom = 1 - baselineRecall;
  let wins = 0;
  let losses = 0;
  selector.forEach((s, i) => {
    if (s.recall[k] > baseline[i].recall[k]) wins++;
    else if (s.recall[k] < baseline[i].recall[k]) losses++;
  });
  return { k, lead, headroom, recovered: headroom > 0 ? lead / headroom : undefined, wins, losses };
}

/**
 * One line for the harness's output, e.g. "selector R@5 against BM25, non-test source: +1.4 of at most +24.8 (6% of
 * its misses recovered); instances won 2, lost 2".
 */
export function formatLead(result: LeadOverBaseline, baselineName: string): string {
  const points = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)}`;
  const share = result.recovered === undefined ? "it misses nothing" : `${Math.round(100 * result.recovered)}% of its misses recovered`;
  return `selector R@${result.k} against ${baselineName}: ${points(result.lead)} of at most ${points(result.headroom)} (${share}); instances won ${result.wins}, lost ${result.losses}`;
}

/** Files in rank order while they fit the budget (a file that does not fit is skipped, the next may fit). */
export function packByRank(ranked: readonly string[], tokensOf: (path: string) => number, budget: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const path of ranked) {
    const tokens = tokensOf(path);
    if (used + tokens > budget) continue;
    used += tokens;
    out.push(path);
  }
  return out;
}

export function formatTable(rows: { name: string; score: InstanceScore }[], budgets: readonly number[]): string {
  const pct = (v: number) => (100 * v).toFixed(1);
  const header = [
    "| Method",
    ...KS.map((k) => `Acc@${k}`),
    ...KS.map((k) => `R@${k}`),
    "MRR",
    ...budgets.map((b) => `R@${b / 1000}k tok`),
    ...budgets.map((b) => `Acc@${b / 1000}k tok`),
  ];
  const lines = [header.join(" | ") + " |", header.map((h, i) => (i === 0 ? "| ---" : "---:")).join(" | ") + " |"];
  for (const { name, score } of rows) {
    lines.push(
      [
        `| ${name}`,
        ...KS.map((k) => pct(score.acc[k])),
        ...KS.map((k) => pct(score.recall[k])),
        score.rr.toFixed(3),
        ...budgets.map((b) => pct(score.budgetRecall[b] ?? 0)),
        ...budgets.map((b) => pct(score.budgetAcc[b] ?? 0)),
      ].join(" | ") + " |",
    );
  }
  return lines.join("\n");
}

/**
 * The lines of each file a patch changes, as old-file line ranges (one per hunk: its deleted lines, or for a pure
 * addition the line it follows). What an excerpt must show for the model to make the fix.
 */
export function changedLinesOfPatch(patch: string): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const file of parseDiff(patch)) {
    const path = file.from && file.from !== "/dev/null" ? file.from : file.to;
    if (!path) continue;
    const ranges: [number, number][] = [];
    for (const chunk of file.chunks) {
      let lo = Infinity;
      let hi = -Infinity;
      let previousOld = Math.max(1, chunk.oldStart);
      for (const change of chunk.changes) {
        if (change.type === "normal") previousOld = change.ln1;
        else if (change.type === "del") {
          lo = Math.min(lo, change.ln);
          hi = Math.max(hi, change.ln);
          previousOld = change.ln;
        } else {
          lo = Math.min(lo, previousOld);
          hi = Math.max(hi, previousOld);
        }
      }
      if (lo <= hi) ranges.push([lo, hi]);
    }
    out.set(path, ranges);
  }
  return out;
}

/** Whether kept line ranges show every changed range entirely. */
export function rangesCover(kept: readonly [number, number][], changed: readonly [number, number][]): boolean {
  return changed.every(([lo, hi]) => kept.some(([start, end]) => start <= lo && hi <= end));
}

/** The budgets, in tokens, that packing is measured at unless told otherwise (the harness and quick --pack). */
export const DEFAULT_BUDGETS = [8000, 16000, 32000];

/** Paths in the prompt whole (an excerpt does not count as the file). */
export function wholePaths(included: readonly { path: string; role: IncludedRole }[]): string[] {
  return included.filter((f) => !isExcerptRole(f.role)).map((f) => f.path);
}

/** Paths in the prompt counting an excerpt only when it shows every line the fix changes in it (the "(extra)" row). */
export function shownPaths(included: readonly { path: string; role: IncludedRole; lines?: [number, number][] }[], changed: ReadonlyMap<string, [number, number][]>): string[] {
  return included.filter((f) => !isExcerptRole(f.role) || (changed.has(f.path) && rangesCover(f.lines ?? [], changed.get(f.path)!))).map((f) => f.path);
}
