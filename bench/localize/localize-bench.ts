/**
 * Localization benchmark: for each real issue, check the repository out at its base commit (a git worktree of
 * a local mirror, in a temporary folder), run the selector and the baselines on the issue text only, and score
 * the rankings against the files of the gold patch, which is read only at scoring time.
 *
 * node bench/run.mjs localize --data <jsonl> --mirrors <dir> [--limit N] [--out results.jsonl] [--ablation]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { classifyContent, classifyPath } from "../../src/context/candidates.js";
import { createModuleResolver } from "../../src/context/module-resolver.js";
import { packContext } from "../../src/context/pack.js";
import { renderFileBlock } from "../../src/context/prompt-format.js";
import { DEFAULT_WEIGHTS, ISSUE_SIGNALS, rankFiles, type SignalName } from "../../src/context/rank.js";
import { listRepoFiles, readRegularFile, type IndexedFile } from "../../src/context/repo-index.js";
import { loadRepository } from "../../src/context/select-context.js";
import { Bm25, queryTerms } from "../../src/context/signals/bm25.js";
import { mentionScores, parseMentions } from "../../src/context/signals/mentions.js";
import { isStopword, pathTerms, termCounts } from "../../src/context/text-terms.js";
import { countTokens } from "../../src/context/token-count.js";
import { runGit } from "../../src/git/safe-git.js";
import { addWorktree, findMirror, readInstances, type Instance } from "./checkout.js";
import { changedLinesOfPatch, DEFAULT_BUDGETS, formatLead, formatTable, goldFilesOfPatch, halfOf, leadOverBaseline, meanScores, packByRank, scoreRanking, shownPaths, wholePaths, type InstanceScore } from "./metrics.js";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    mirrors: { type: "string", default: "/work/.mirror" },
    limit: { type: "string" },
    out: { type: "string" },
    ablation: { type: "boolean", default: false },
    budgets: { type: "string", default: DEFAULT_BUDGETS.join(",") },
    /** Run only one half of the held-out split (A: development, B: held out); both are reported otherwise. */
    half: { type: "string" },
    /** Development only: JSON of signal weights to try, e.g. '{"history":0.4}'. */
    weights: { type: "string" },
  },
});
if (!values.data) {
  console.error("usage: node bench/run.mjs localize --data <jsonl> --mirrors <dir> [--limit N] [--out results.jsonl] [--ablation]");
  process.exit(2);
}
const trialWeights = values.weights ? (JSON.parse(values.weights) as Partial<Record<SignalName, number>>) : undefined;
const budgets = values.budgets!.split(",").map(Number);
let instances: Instance[] = readInstances(values.data);
if (values.half) {
  if (values.half !== "A" && values.half !== "B") throw new Error("--half takes A or B");
  instances = instances.filter((i) => halfOf(i.instance_id) === values.half);
}
if (values.limit) instances = instances.slice(0, Number(values.limit));

const mirrorOf = (repo: string): string => findMirror(values.mirrors!, repo);

interface TextFile {
  path: string;
  kind: string;
  tokens: number;
  /** Identifier-aware terms (the selector's tokenizer). */
  terms: Map<string, number>;
  /** Conventional analyzer terms: lower-cased alphanumeric words, English stopwords out, no identifier splitting. */
  plainTerms: Map<string, number>;
}

/** The usual BM25 analyzer (as in the SWE-bench and LocAgent baselines): words, lower case, no stemming. */
function plainTermCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.toLowerCase().matchAll(/[a-z0-9]+/g)) {
    const word = match[0];
    if (word.length < 2 || isStopword(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

/** Every text file of the checkout, for the baselines (which see what the selector's filter drops). */
async function readAllTextFiles(dir: string): Promise<TextFile[]> {
  const out: TextFile[] = [];
  for (const path of await listRepoFiles(dir)) {
    const buffer = await readRegularFile(dir, path, 1024 * 1024);
    if (!buffer || buffer.subarray(0, 8000).includes(0)) continue;
    const content = buffer.toString("utf8");
    const terms = termCounts(content);
    for (const term of pathTerms(path)) terms.set(term, (terms.get(term) ?? 0) + 3);
    const plainTerms = plainTermCounts(path + "\n" + content);
    out.push({ path, kind: classifyContent(classifyPath(path), buffer, path), tokens: countTokens(renderFileBlock(path, "target", content)), terms, plainTerms });
  }
  return out;
}

function bm25Ranking(files: readonly TextFile[], task: string, identifierAware: boolean): string[] {
  const index = new Bm25(files.map((f) => ({ id: f.path, terms: identifierAware ? f.terms : f.plainTerms })));
  return [...index.score(identifierAware ? queryTerms(task) : plainTermCounts(task))].sort((a, b) => b[1] - a[1] || index.ids[a[0]].localeCompare(index.ids[b[0]])).map(([doc]) => index.ids[doc]);
}

function mentionRanking(files: readonly IndexedFile[], task: string): string[] {
  const scores = mentionScores(files, parseMentions(task), createModuleResolver(files.map((f) => f.path)));
  return [...scores].sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0])).map(([p]) => p);
}

type Method = { name: string; ranked: string[]; packed: Record<number, string[]> };

const methodScores = new Map<string, { all: InstanceScore[]; existing: InstanceScore[]; source: InstanceScore[]; A: InstanceScore[]; B: InstanceScore[] }>();
const record = (name: string, half: "A" | "B", all: InstanceScore, existing: InstanceScore | undefined, source: InstanceScore | undefined) => {
  let entry = methodScores.get(name);
  if (!entry) methodScores.set(name, (entry = { all: [], existing: [], source: [], A: [], B: [] }));
  entry.all.push(all);
  entry[half].push(all);
  if (existing) entry.existing.push(existing);
  if (source) entry.source.push(source);
};

const work = mkdtempSync(join(tmpdir(), "codegen-localize-bench-"));
const cacheDir = join(work, "cache");
const outRows: string[] = [];
const timings: number[] = [];
const byCommit = [...instances].sort((a, b) => a.repo.localeCompare(b.repo) || a.base_commit.localeCompare(b.base_commit));
let current: { key: string; dir: string; mirror: string; all: TextFile[] } | undefined;

const cleanup = async () => {
  if (!current) return;
  await runGit(["worktree", "remove", "--force", current.dir], { cwd: current.mirror }).catch(() => rmSync(current!.dir, { recursive: true, force: true }));
  current = undefined;
};

try {
  for (const [n, instance] of byCommit.entries()) {
    const key = `${instance.repo}@${instance.base_commit}`;
    if (current?.key !== key) {
      await cleanup();
      const mirror = mirrorOf(instance.repo);
      const dir = join(work, instance.base_commit);
      const { missing } = await addWorktree(mirror, dir, instance.base_commit);
      if (missing.length > 0) process.stderr.write(`${key}: ${missing.length} blobs absent from the mirror, left out of the checkout\n`);
      current = { key, dir, mirror, all: await readAllTextFiles(dir) };
    }
    const { dir, all } = current;
    const task = instance.problem_statement;

    // The selector, exactly as the app runs it (index + history from the commit-keyed cache after first use).
    const started = performance.now();
    const repo = await loadRepository({ repoDir: dir, commit: instance.base_commit, cacheDir });
    const ranking = rankFiles(repo.index, task, { history: repo.history, weights: trialWeights });
    const read = async (path: string) => (await readRegularFile(dir, path))?.toString("utf8");
    const changed = changedLinesOfPatch(instance.patch);
    const selectorPacked: Record<number, string[]> = {};
    const withExcerpts: Record<number, string[]> = {};
    for (const budget of budgets) {
      const selection = await packContext({ index: repo.index, ranked: ranking.files, resolver: ranking.resolver, budget, read, task });
      // A file counts as packed only when it is there whole; excerpts are reported in a row of their own.
      selectorPacked[budget] = wholePaths(selection.included);
      withExcerpts[budget] = shownPaths(selection.included, changed);
    }
    timings.push(performance.now() - started);

    const tokensOf = new Map(all.map((f) => [f.path, f.tokens]));
    const packed = (ranked: string[]) => Object.fromEntries(budgets.map((b) => [b, packByRank(ranked, (p) => tokensOf.get(p) ?? Infinity, b)]));
    const selectorRanked = ranking.files.map((f) => f.path);
    const methods: Method[] = [{ name: "selector (fused)", ranked: selectorRanked, packed: selectorPacked }];
    methods.push({ name: "(extra) selector, an excerpt counts if it shows every changed line", ranked: selectorRanked, packed: withExcerpts });
    // The same ranking packed like the baselines (whole files in rank order), to separate ranking from packing.
    methods.push({ name: "(extra) selector ranking, packed by rank only", ranked: selectorRanked, packed: packed(selectorRanked) });
    const allRanked = bm25Ranking(all, task, false);
    methods.push({ name: "BM25, all files (no filter)", ranked: allRanked, packed: packed(allRanked) });
    const source = all.filter((f) => f.kind === "source");
    const sourceRanked = bm25Ranking(source, task, false);
    methods.push({ name: "BM25, non-test source", ranked: sourceRanked, packed: packed(sourceRanked) });
    const mentionRanked = mentionRanking(repo.index.files, task);
    methods.push({ name: "files mentioned in the issue", ranked: mentionRanked, packed: packed(mentionRanked) });
    const identifierRanked = bm25Ranking(source, task, true);
    methods.push({ name: "(extra) identifier-aware BM25, non-test source", ranked: identifierRanked, packed: packed(identifierRanked) });
    if (values.ablation) {
      for (const signal of ISSUE_SIGNALS) {
        const only = Object.fromEntries(ISSUE_SIGNALS.map((s) => [s, s === signal ? DEFAULT_WEIGHTS[s] : 0])) as Partial<Record<SignalName, number>>;
        const ranked = rankFiles(repo.index, task, { history: repo.history, weights: only }).files.map((f) => f.path);
        methods.push({ name: `only ${signal}`, ranked, packed: packed(ranked) });
        const without = rankFiles(repo.index, task, { history: repo.history, weights: { [signal]: 0 } }).files.map((f) => f.path);
        methods.push({ name: `all but ${signal}`, ranked: without, packed: packed(without) });
      }
    }

    // Scoring: the gold patch is read only from here on.
    const gold = goldFilesOfPatch(instance.patch);
    const present = new Set(all.map((f) => f.path));
    const existing = gold.filter((g) => present.has(g));
    // Secondary: only the gold files the candidate filter calls source (what "BM25, non-test source" ranks), so that
    // docs, configs, declarations, examples and build output kept by path in a fix are told apart from code.
    const kindOf = new Map(all.map((f) => [f.path, f.kind]));
    const sourceGold = gold.filter((g) => kindOf.get(g) === "source");
    const half = halfOf(instance.instance_id);
    const row: Record<string, unknown> = { instance_id: instance.instance_id, half, gold, existing_gold: existing, source_gold: sourceGold, ms: Math.round(timings.at(-1)!) };
    for (const method of methods) {
      const score = scoreRanking(method.ranked, method.packed, gold);
      const scoreOf = (subset: string[]) => (subset.length ? scoreRanking(method.ranked, method.packed, subset) : undefined);
      record(method.name, half, score, scoreOf(existing), scoreOf(sourceGold));
      row[method.name] = { top: method.ranked.slice(0, 10), acc5: score.acc[5], rr: score.rr, packed: method.packed[budgets[0]], packedByBudget: method.packed };
    }
    outRows.push(JSON.stringify(row));
    process.stderr.write(`[${n + 1}/${byCommit.length}] ${instance.instance_id} acc@5=${(row["selector (fused)"] as { acc5: number }).acc5} ${Math.round(timings.at(-1)!)} ms\n`);
  }
} finally {
  await cleanup();
  rmSync(work, { recursive: true, force: true });
}

if (values.out) writeFileSync(values.out, outRows.join("\n") + "\n");
const rows = (variant: "all" | "existing" | "source" | "A" | "B") => [...methodScores].map(([name, s]) => ({ name, score: meanScores(s[variant]) }));
/** Instances scored in a variant (every method scores the same ones). */
const countOf = (variant: "existing" | "source" | "A" | "B") => methodScores.values().next().value?.[variant].length ?? 0;
console.log(`\n${instances.length} instances from ${values.data}`);
console.log(`\nGold = all files of the patch (Acc@k: every gold file in the top k; budget columns: packed within N tokens)\n`);
console.log(formatTable(rows("all"), budgets));
const selectorScores = methodScores.get("selector (fused)");
const bm25SourceScores = methodScores.get("BM25, non-test source");
if (selectorScores && bm25SourceScores) console.log(`\n${formatLead(leadOverBaseline(selectorScores.all, bm25SourceScores.all), "BM25, non-test source")}`);
console.log(`\nGold = patch files that exist at the base commit (${countOf("existing")} instances)\n`);
console.log(formatTable(rows("existing"), budgets));
console.log(`\nGold = patch files the candidate filter calls source at the base commit (${countOf("source")} instances with one or more)\n`);
console.log(formatTable(rows("source"), budgets));
for (const half of ["A", "B"] as const) {
  const count = countOf(half);
  if (count === 0) continue;
  console.log(`\nHalf ${half} of the split (${count} instances; gold = all files of the patch)\n`);
  console.log(formatTable(rows(half), budgets));
}
timings.sort((a, b) => a - b);
console.log(`\nselector time per instance (index from cache after the first instance of a commit): median ${Math.round(timings[Math.floor(timings.length / 2)])} ms, max ${Math.round(timings.at(-1) ?? 0)} ms`);
