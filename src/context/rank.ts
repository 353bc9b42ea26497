import { KIND_WEIGHT } from "./candidates.js";
import { searchableText, stripTemplate } from "./issue-template.js";
import { createModuleResolver, type ModuleResolver } from "./module-resolver.js";
import type { IndexedFile, RepoIndex } from "./repo-index.js";
import { bm25FileSearch, bm25FunctionScores, queryTerms } from "./signals/bm25.js";
import { buildCodeGraph, codeGraphScores } from "./signals/code-graph.js";
import { coChangeScores, type HistoryCommit } from "./signals/history.js";
import { nameMentionScores, parseMentions, pathMentionScores, type IssueMentions } from "./signals/mentions.js";
import { messageScores } from "./signals/messages.js";
import { namedCommitScores } from "./signals/named-commits.js";
import { pastCommitScores } from "./signals/past-commits.js";
import { companionScores } from "./signals/companions.js";
import { addScore, normalizeByMax, type SignalScores } from "./signals/signal.js";
import { usedDefinitionScores } from "./signals/used-definitions.js";
import type { RankedFile, SelectionReason } from "./types.js";

/** The signals an issue's text and the repository's history give: what the benchmark's ablation varies. */
export const ISSUE_SIGNALS = ["mentions", "names", "messages", "bm25", "bm25-function", "code-graph", "used-definitions", "history", "past-commits", "named-commits", "companion", "title"] as const;
export const SIGNALS = [...ISSUE_SIGNALS, "pull-request"] as const;
export type SignalName = (typeof SIGNALS)[number];

/**
 * How much each signal counts in the fused score. Each signal is first put on a 0..1 scale (BM25, graph and
 * history relative to their best source file; mentions on an absolute, saturating scale so that a weak
 * mention stays weak), then weighted, then multiplied by the file kind's weight (tests, docs and config count
 * less). Chosen on the development set among a few variants; see bench/localize/README.md.
 */
export const DEFAULT_WEIGHTS: Record<SignalName, number> = {
  /** Paths, stack frames and imported modules the issue names. */
  mentions: 0.6,
  /** Identifiers and file names the issue uses: weaker, as quoted user code uses the project's names too. */
  names: 0.4,
  /** A quoted message names the file that prints it; shared fragments are divided among their files. */
  messages: 0.5,
  bm25: 0.6,
  "bm25-function": 0.15,
  "code-graph": 0.1,
  /** Low: it should lift a constant or helper module into the top five, not above the files that use it. */
  "used-definitions": 0.15,
  history: 0.25,
  /** Files changed by the past commits whose messages read most like the issue. */
  "past-commits": 0.25,
  /** Files changed by the commits the issue names, by hash or by the issue or pull request they refer to. */
  "named-commits": 0.5,
  /** Not added: a declaration file or page is lifted to this share of the score of the source it describes. */
  companion: 0.8,
  /**
   * BM25 of the issue's first line (its title) alone, as a field of its own (BLUiR's summary field): the title
   * states the problem in a few words, while the body's reproduction code and environment dilute the full
   * query. Chosen in round 8; leave-one-set-out over twelve sets, see bench/localize/README.md.
   */
  title: 0.7,
  /**
   * The files the pull request a job works on already changes: a follow-up ("also handle the empty case") is
   * about them, whatever words it uses. More than words alone give a file (BM25, title and function-level BM25
   * add up to 1.45), so they lead the ranking and seed the graph and co-change, while a file the comment names
   * can still rank above them. Not scaled down by the file's kind: a pull request's page or config is part of it.
   */
  "pull-request": 1.5,
};

/** A pull request with more files than this spreads the same total over them, so the text decides among them. */
export const FOCUS_FULL_FILES = 20;

/** Seeds handed to PageRank and to co-change: the best files by the text signals. */
const GRAPH_SEEDS = 20;
const HISTORY_SEEDS = 5;
const COMPANION_SEEDS = 3;
const USED_DEFINITION_SEEDS = 5;

export interface RankOptions {
  weights?: Partial<Record<SignalName, number>>;
  history?: readonly HistoryCommit[];
  /** Files the job's pull request changes (paths at its head); those that are candidates rank first. */
  focus?: readonly string[];
  /** Why the focus files rank first, as their reason says (default: FOCUS_REASON). */
  focusReason?: string;
  /**
   * The thread's comments: only the files they point at (paths, stack frames, imported modules) count, at
   * DISCUSSION_SHARE of the same pointer in the task. Their words stay out of the text signals: a long thread's
   * chatter dilutes the search (selectionText).
   */
  discussion?: string;
}

/** A path in a comment counts this much of the same path in the issue or the command. */
export const DISCUSSION_SHARE = 0.5;

/** The task's path mentions, plus the discussion's at DISCUSSION_SHARE, their evidence marked as a comment's. */
function pointerScores(files: readonly IndexedFile[], task: IssueMentions, discussion: string | undefined, resolver: ModuleResolver): SignalScores {
  const scores = pathMentionScores(files, task, resolver);
  if (!discussion?.trim()) return scores;
  for (const [path, entry] of pathMentionScores(files, parseMentions(discussion), resolver)) {
    addScore(scores, path, DISCUSSION_SHARE * entry.score);
    for (const detail of entry.details) addScore(scores, path, 0, `in a comment: ${detail}`);
  }
  return scores;
}

/** Signals whose score is not multiplied by the file kind's weight. */
const KIND_BLIND: ReadonlySet<SignalName> = new Set(["companion", "pull-request"]);

const FOCUS_REASON = "changed by the pull request";

/** Each focus file that is a candidate scores 1, or a share of FOCUS_FULL_FILES when the pull request is larger. */
export function focusScores(focus: readonly string[], candidates: ReadonlySet<string>, reason = FOCUS_REASON): SignalScores {
  const present = [...new Set(focus)].filter((path) => candidates.has(path));
  const score = Math.min(1, FOCUS_FULL_FILES / Math.max(1, present.length));
  return new Map(present.map((path) => [path, { score, details: [reason] }]));
}

export interface Ranking {
  files: RankedFile[];
  resolver: ModuleResolver;
}

function saturate(scores: SignalScores, scale: number): SignalScores {
  const out: SignalScores = new Map();
  for (const [path, entry] of scores) out.set(path, { score: 1 - Math.exp(-entry.score / scale), details: entry.details });
  return out;
}

/** Fewer words than this make a title ("Bug", "Question") that would only echo the best body match. */
const MIN_TITLE_TERMS = 2;

/** The first non-blank line of the issue text, when it holds enough words to search for on its own. */
export function titleOf(text: string): string | undefined {
  const first = text.split("\n").find((line) => line.trim() !== "");
  if (!first || queryTerms(first).size < MIN_TITLE_TERMS) return undefined;
  return first.trim();
}

function topSeeds(totals: ReadonlyMap<string, number>, count: number): Map<string, number> {
  const sorted = [...totals].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return new Map(sorted.slice(0, count));
}

/** Rank every candidate file for a task by the fused signals; pure given the index and history. */
export function rankFiles(index: RepoIndex, issueText: string, options: RankOptions = {}): Ranking {
  const task = stripTemplate(issueText, index.templatePhrases ?? []);
  const searchable = searchableText(task);
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const files = index.files;
  const byPath = new Map<string, IndexedFile>(files.map((f) => [f.path, f]));
  const resolver = createModuleResolver(files.map((f) => f.path));
  const mentions = parseMentions(task);

  // Relative signals are scaled by their best *source* file (capped at 1), so a README or a test that
  // outscores every source file cannot shrink the sources' scores; kind weights then apply in the fusion.
  const scaled = (scores: SignalScores): SignalScores => {
    let max = 0;
    for (const [path, entry] of scores) if (byPath.get(path)!.kind === "source") max = Math.max(max, entry.score);
    if (max <= 0) return normalizeByMax(scores);
    const out: SignalScores = new Map();
    for (const [path, entry] of scores) out.set(path, { score: Math.min(1, entry.score / max), details: entry.details });
    return out;
  };
  const signals = new Map<SignalName, SignalScores>();
  if (weights.mentions > 0) signals.set("mentions", saturate(pointerScores(files, mentions, options.discussion, resolver), 1.5));
  if (weights.names > 0) signals.set("names", saturate(nameMentionScores(files, mentions), 1.5));
  if (weights.messages > 0) signals.set("messages", messageScores(files, task));
  const title = titleOf(searchable);
  // One file-level index for the whole issue and its title, built only if either is searched.
  let fileSearch: ((query: string) => SignalScores) | undefined;
  const searchFiles = (query: string) => (fileSearch ??= bm25FileSearch(files))(query);
  if (weights.bm25 > 0) signals.set("bm25", scaled(searchFiles(searchable)));
  if (weights["bm25-function"] > 0) signals.set("bm25-function", scaled(bm25FunctionScores(files, searchable)));
  if (weights.title > 0 && title) signals.set("title", scaled(searchFiles(title)));
  const candidates = new Set(byPath.keys());
  if (weights["pull-request"] > 0 && options.focus?.length) signals.set("pull-request", focusScores(options.focus, candidates, options.focusReason));

  const fuse = (): Map<string, number> => {
    const totals = new Map<string, number>();
    for (const [name, scores] of signals) {
      for (const [path, entry] of scores) {
        const kindWeight = KIND_BLIND.has(name) ? 1 : KIND_WEIGHT[byPath.get(path)!.kind];
        totals.set(path, (totals.get(path) ?? 0) + weights[name] * entry.score * kindWeight);
      }
    }
    return totals;
  };

  const history = options.history ?? [];
  if (weights["past-commits"] > 0 && history.length > 0) signals.set("past-commits", scaled(pastCommitScores(history, searchable, candidates)));
  if (weights["named-commits"] > 0 && history.length > 0) signals.set("named-commits", namedCommitScores(history, task, candidates));
  const textual = fuse();
  if (weights["code-graph"] > 0) {
    const graph = buildCodeGraph(files, resolver, new Set(mentions.identifiers.keys()));
    signals.set("code-graph", scaled(codeGraphScores(graph, topSeeds(textual, GRAPH_SEEDS))));
  }
  if (weights["used-definitions"] > 0) {
    const sources = new Map([...textual].filter(([path]) => byPath.get(path)!.kind === "source"));
    const seeds = topSeeds(sources, USED_DEFINITION_SEEDS);
    const best = Math.max(0, ...seeds.values());
    const relative = new Map([...seeds].map(([path, value]) => [path, best > 0 ? value / best : 0]));
    signals.set("used-definitions", scaled(usedDefinitionScores(files, relative, queryTerms(searchable), resolver)));
  }
  if (weights.history > 0 && history.length > 0) {
    signals.set("history", scaled(coChangeScores(history, topSeeds(textual, HISTORY_SEEDS), candidates)));
  }

  const totals = fuse();
  // Declarations and pages follow their source: lifted to a share of its score (not added, so they rank just below it).
  if (weights.companion > 0) {
    const companions = companionScores(files, totals, COMPANION_SEEDS);
    let best = 0;
    for (const value of totals.values()) best = Math.max(best, value);
    for (const [path, entry] of companions) {
      const lifted = weights.companion * entry.score * best;
      const own = totals.get(path) ?? 0;
      if (lifted <= own) continue;
      totals.set(path, lifted);
      signals.set("companion", (signals.get("companion") ?? new Map()).set(path, { score: (lifted - own) / weights.companion, details: entry.details }));
    }
  }
  const ranked: RankedFile[] = [];
  for (const [path, score] of totals) {
    if (score <= 0) continue;
    const file = byPath.get(path)!;
    const reasons: SelectionReason[] = [];
    for (const [name, scores] of signals) {
      const entry = scores.get(path);
      if (!entry || entry.score <= 0) continue;
      const contribution = weights[name] * entry.score * (KIND_BLIND.has(name) ? 1 : KIND_WEIGHT[file.kind]);
      if (contribution < 1e-4) continue;
      reasons.push({ signal: name, score: round(contribution), detail: entry.details.slice(0, 3).join("; ") || undefined });
    }
    reasons.sort((a, b) => b.score - a.score || a.signal.localeCompare(b.signal));
    if (file.kind !== "source") reasons.push({ signal: `kind:${file.kind}`, score: KIND_WEIGHT[file.kind], detail: "weight of this kind of file" });
    ranked.push({ path, score: round(score), tokens: file.tokens, reasons });
  }
  ranked.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  return { files: diversify(ranked), resolver };
}

/**
 * Each file counts a little less for every file of the same folder ranked above it (rules, locales, plugins
 * kept side by side look alike to every text signal), so that a shared helper the fix also needs can reach the
 * top ranks instead of a fifth near-identical sibling. Mild on purpose: a sweep over many siblings still ranks
 * them together. Re-sorts; `index`-like files are grouped by their package's parent folder.
 */
export const SIBLING_FACTOR = 0.95;

function siblingGroup(path: string): string {
  const parts = path.split("/");
  const base = parts.at(-1)!.replace(/\..*$/, "");
  return (/^(index|__init__|mod|main)$/.test(base) ? parts.slice(0, -2) : parts.slice(0, -1)).join("/");
}

export function diversify(ranked: RankedFile[]): RankedFile[] {
  const above = new Map<string, number>();
  const out = ranked.map((file) => {
    const group = siblingGroup(file.path);
    const count = above.get(group) ?? 0;
    above.set(group, count + 1);
    if (count === 0) return file;
    const factor = SIBLING_FACTOR ** count;
    const reasons = [...file.reasons, { signal: "siblings", score: round(factor), detail: count === 1 ? "1 file of the same folder ranks above" : `${count} files of the same folder rank above` }];
    return { ...file, score: round(file.score * factor), reasons };
  });
  return out.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
