/**
 * Development loop: the selector's ranking only (no baselines, no packing) on one or more data sets, with the
 * index of each base commit cached across runs, so a change to the ranking is measured in seconds. Prints
 * Acc@k, R@k and MRR per set and per repository, and optionally per instance. The full harness (`localize`)
 * gives the numbers that are reported; this one is for trying changes on the development sets.
 *
 * node bench/run.mjs localize quick --data <jsonl> [--data <jsonl> ...] [--cache /tmp/codegen-quick]
 *   [--weights '{"history":0}'] [--per-instance] [--half A|B] [--dump rankings.jsonl]
 *
 * `--grid '{"title":[0,0.5,1]}'` ranks every instance once per combination of the listed weights (the index
 * loaded once) and prints each set's R@5 per combination, then the leave-one-set-out choice (grid.ts).
 *
 * `--pack` also packs each ranking at 8k, 16k and 32k tokens, reading files from the mirror, and prints R@budget
 * (whole files; with excerpts that show every changed line; and for the ranking packed by rank only, as the full
 * harness's rows), the tokens spent on tests, and, over fixes whose commit (`fix_commit`) changes test files that
 * exist at the base commit, how many of those the packing included and how many are among the first six tests
 * `testsFor` picks for the 32k targets. A change to packing is measured in minutes, without the baselines.
 *
 * `--follow-up` measures the pull-request signal: over fixes with two or more gold files the index holds, the first
 * of them (in the patch's order) stands for a pull request that already changes it, and the issue for the
 * comment on it; it prints each set's R@5 of the other gold files, that file left out of the ranking, without and
 * with the file as the pull request's (`focus`).
 *
 * `--dump` appends one JSON line per instance (set, id, gold files, the first 300 ranked files with each
 * signal's contribution, and its tokens) for looking at rankings offline.
 */
import { appendFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { cacheKey, readCachedIndex } from "../../src/context/cache.js";
import type { RepoIndex } from "../../src/context/repo-index.js";
import { MAX_TESTS, packContext, testsFor } from "../../src/context/pack.js";
import { rankFiles, type SignalName } from "../../src/context/rank.js";
import { loadRepository } from "../../src/context/select-context.js";
import { silentLogger } from "../../src/logging/logger.js";
import { runGit } from "../../src/git/safe-git.js";
import { addWorktree, findMirror, readInstances, type Instance } from "./checkout.js";
import { gridPoints, leaveOneSetOut, pointLabel, type WeightPoint } from "./grid.js";
import { changedLinesOfPatch, DEFAULT_BUDGETS, goldFilesOfPatch, halfOf, packByRank, shownPaths, wholePaths, KS, meanScores, scoreRanking, type InstanceScore } from "./metrics.js";

const { values } = parseArgs({
  options: {
    data: { type: "string", multiple: true },
    mirrors: { type: "string", default: "/work/.mirror" },
    cache: { type: "string", default: join(tmpdir(), "codegen-localize-quick") },
    weights: { type: "string" },
    "per-instance": { type: "boolean", default: false },
    half: { type: "string" },
    dump: { type: "string" },
    grid: { type: "string" },
    pack: { type: "boolean", default: false },
    "follow-up": { type: "boolean", default: false },
  },
});
if (!values.data?.length) {
  console.error("usage: node bench/run.mjs localize quick --data <jsonl> [--data <jsonl>] [--weights JSON] [--per-instance]");
  process.exit(2);
}
const weights = values.weights ? (JSON.parse(values.weights) as Partial<Record<SignalName, number>>) : undefined;

// The first point is the weights without the grid (the reference of the leave-one-set-out comparison).
const points: WeightPoint[] = values.grid ? [{}, ...gridPoints(JSON.parse(values.grid) as Record<string, number[]>)] : [];
const gridRecall: Record<string, number>[] = points.map(() => ({}));

const mirrorOf = (repo: string): string => findMirror(values.mirrors!, repo);

const pct = (v: number) => (100 * v).toFixed(1).padStart(5);
const line = (name: string, scores: InstanceScore[]) => {
  const m = meanScores(scores);
  return `${name.padEnd(24)} n=${String(scores.length).padStart(2)}  ${KS.map((k) => `Acc@${k} ${pct(m.acc[k])}`).join(" ")}  ${KS.map((k) => `R@${k} ${pct(m.recall[k])}`).join(" ")}  MRR ${m.rr.toFixed(3)}`;
};

type PackStat = { byRank: Record<number, number>; changed: number; packed: Record<number, number>; tokens: Record<number, number>; listed: number; withExcerpts: Record<number, number> };
const packStats: PackStat[] = [];

const work = mkdtempSync(join(tmpdir(), "codegen-localize-quick-"));
try {
  for (const data of values.data) {
    let instances = readInstances(data);
    if (values.half) instances = instances.filter((i) => halfOf(i.instance_id) === values.half);
    // One cache folder per data set: the cache keeps 64 entries per folder.
    const cacheDir = join(values.cache!, basename(data).replace(/\W+/g, "-"));
    const byRepo = new Map<string, InstanceScore[]>();
    const all: InstanceScore[] = [];
    const followUps: { without: number; with: number }[] = [];
    const started = performance.now();
    for (const instance of instances) {
      let dir = join(work, instance.base_commit);
      const cached = await readCachedIndex(cacheDir, cacheKey(instance.base_commit), instance.base_commit, silentLogger);
      const mirror = mirrorOf(instance.repo);
      if (!cached && !existsSync(dir)) await addWorktree(mirror, dir, instance.base_commit);
      if (cached) dir = "/nonexistent";
      const repo = await loadRepository({ repoDir: dir, commit: instance.base_commit, cacheDir });
      if (!cached) await runGit(["worktree", "remove", "--force", join(work, instance.base_commit)], { cwd: mirror }).catch(() => undefined);
      const gold = goldFilesOfPatch(instance.patch);
      const ranking = rankFiles(repo.index, instance.problem_statement, { history: repo.history, weights });
      const ranked = ranking.files.map((f) => f.path);
      const packings = values.pack ? await packAll(instance, mirror, repo.index, ranking) : undefined;
      const score = scoreRanking(ranked, packings?.whole ?? {}, gold);
      if (packings) {
        packings.stat.withExcerpts = scoreRanking(ranked, packings.shown, gold).budgetRecall;
        packings.stat.byRank = scoreRanking(ranked, packings.byRank, gold).budgetRecall;
        packStats.push(packings.stat);
      }
      points.forEach((point, p) => {
        // The first point is `weights` itself: its ranking and score are the ones above.
        const pointScore = p === 0 ? score : scoreRanking(rankFiles(repo.index, instance.problem_statement, { history: repo.history, weights: { ...weights, ...point } }).files.map((f) => f.path), {}, gold);
        gridRecall[p][basename(data)] = (gridRecall[p][basename(data)] ?? 0) + (100 * pointScore.recall[5]) / instances.length;
      });
      if (values["follow-up"]) {
        const present = new Set(repo.index.files.map((f) => f.path));
        const [changed, ...rest] = gold.filter((g) => present.has(g));
        if (changed && rest.length > 0) {
          const recallOfRest = (paths: string[]) => scoreRanking(paths.filter((p) => p !== changed), {}, rest).recall[5];
          const focused = rankFiles(repo.index, instance.problem_statement, { history: repo.history, weights, focus: [changed] }).files.map((f) => f.path);
          followUps.push({ without: recallOfRest(ranked), with: recallOfRest(focused) });
        }
      }
      all.push(score);
      const list = byRepo.get(instance.repo) ?? [];
      byRepo.set(instance.repo, [...list, score]);
      if (values.dump) {
        const files = ranking.files.slice(0, 300).map((f) => ({ path: f.path, score: f.score, tokens: f.tokens, reasons: Object.fromEntries(f.reasons.map((r) => [r.signal, r.score])) }));
        appendFileSync(values.dump, JSON.stringify({ set: basename(data), id: instance.instance_id, repo: instance.repo, gold, files }) + "\n");
      }
      if (values["per-instance"]) {
        const ranks = gold.map((g) => ranked.indexOf(g) + 1).map((r) => (r === 0 ? "-" : String(r)));
        console.log(`  ${instance.instance_id.padEnd(30)} gold ranks ${ranks.join(",").padEnd(12)} top3 ${ranked.slice(0, 3).join(" ")}`);
        console.log(`  ${"".padEnd(30)} gold ${gold.map((g, i) => `${g}@${ranks[i]}`).join(" ")}`);
      }
    }
    console.log(line(basename(data), all) + `   (${Math.round(performance.now() - started)} ms)`);
    if (values.pack) console.log(packLine(all, packStats.splice(0)));
    if (values["follow-up"]) console.log(followUpLine(followUps));
    if (byRepo.size > 1) for (const [repo, scores] of byRepo) console.log(line(`  ${repo}`, scores));
  }
  if (points.length > 0) printGrid();
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * Per budget: the whole files packed, the files shown when excerpts count, and the ranking packed by rank only;
 * and the tests' figures (the recalls are filled in by the caller, which holds the gold files).
 */
async function packAll(instance: Instance & { fix_commit?: string }, mirror: string, index: RepoIndex, ranking: ReturnType<typeof rankFiles>) {
  const texts = new Map<string, string | undefined>();
  const read = async (path: string) => {
    if (!texts.has(path)) texts.set(path, await runGit(["show", `${instance.base_commit}:${path}`], { cwd: mirror }).then((b) => b.toString("utf8"), () => undefined));
    return texts.get(path);
  };
  const testsChanged = new Set<string>();
  if (instance.fix_commit) {
    const kinds = new Map(index.files.map((f) => [f.path, f.kind]));
    const names = (await runGit(["diff", "--name-only", instance.base_commit, instance.fix_commit], { cwd: mirror })).toString("utf8").split("\n");
    for (const name of names) if (kinds.get(name) === "test") testsChanged.add(name);
  }
  const whole: Record<number, string[]> = {};
  const shown: Record<number, string[]> = {};
  const byRank: Record<number, string[]> = {};
  const stat: PackStat = { byRank: {}, changed: testsChanged.size, packed: {}, tokens: {}, listed: 0, withExcerpts: {} };
  const tokensOf = new Map(index.files.map((f) => [f.path, f.tokens]));
  const changed = changedLinesOfPatch(instance.patch);
  for (const budget of DEFAULT_BUDGETS) {
    const selection = await packContext({ index, ranked: ranking.files, resolver: ranking.resolver, budget, read, task: instance.problem_statement });
    whole[budget] = wholePaths(selection.included);
    shown[budget] = shownPaths(selection.included, changed);
    // The ranking packed whole files in rank order, as the full harness's "(extra)" row.
    byRank[budget] = packByRank(ranking.files.map((f) => f.path), (p) => tokensOf.get(p) ?? Infinity, budget);
    const tests = selection.included.filter((f) => f.role === "test" || f.role === "test-excerpt");
    stat.packed[budget] = tests.filter((f) => testsChanged.has(f.path)).length;
    stat.tokens[budget] = tests.reduce((sum, f) => sum + f.tokens, 0);
    // The tests the packing would choose first, whatever their size: the choice measured apart from the budget.
    const targets = selection.included.filter((f) => f.role === "target" || f.role === "excerpt").map((f) => f.path);
    if (budget === DEFAULT_BUDGETS.at(-1)) stat.listed = testsFor(targets, index.files, ranking.resolver, instance.problem_statement).slice(0, MAX_TESTS).filter((p) => testsChanged.has(p)).length;
  }
  return { whole, shown, byRank, stat };
}

function packLine(scores: InstanceScore[], stats: PackStat[]): string {
  const m = meanScores(scores);
  const withTests = stats.filter((s) => s.changed > 0);
  const changed = withTests.reduce((a, s) => a + s.changed, 0);
  const parts = DEFAULT_BUDGETS.map((b) => {
    const hits = withTests.reduce((a, s) => a + s.packed[b], 0);
    const tokens = stats.reduce((a, s) => a + s.tokens[b], 0) / Math.max(1, stats.length);
    const withExcerpts = (100 * stats.reduce((a, s) => a + s.withExcerpts[b], 0)) / Math.max(1, stats.length);
    const byRank = (100 * stats.reduce((a, s) => a + s.byRank[b], 0)) / Math.max(1, stats.length);
    return `${b / 1000}k: R ${pct(m.budgetRecall[b])} (${withExcerpts.toFixed(1)} with excerpts, ${byRank.toFixed(1)} by rank) Acc ${pct(m.budgetAcc[b])} tests ${hits}/${changed} (${Math.round(tokens)} tok)`;
  });
  const listed = withTests.reduce((a, s) => a + s.listed, 0);
  return `${"  packed".padEnd(24)} ${parts.join("   ")}   (${withTests.length} fixes change a test; ${listed}/${changed} among the first six tests of the 32k targets)`;
}

function followUpLine(rows: { without: number; with: number }[]): string {
  const mean = (key: "without" | "with") => pct(rows.reduce((a, r) => a + r[key], 0) / Math.max(1, rows.length));
  const gained = rows.filter((r) => r.with > r.without).length;
  const lost = rows.filter((r) => r.with < r.without).length;
  return `${"  follow-up".padEnd(24)} n=${String(rows.length).padStart(2)}  R@5 of the other gold files ${mean("without")} without the pull request's file, ${mean("with")} with it (gained ${gained}, lost ${lost})`;
}

function printGrid(): void {
  const sets = Object.keys(gridRecall[0]);
  const mean = (row: Record<string, number>) => sets.reduce((a, s) => a + row[s], 0) / sets.length;
  console.log(`\nR@5 per combination (first row: without the grid)\n${"weights".padEnd(32)} ${sets.map((s) => s.replace(/\.jsonl$/, "").slice(-12).padStart(12)).join(" ")}       mean`);
  points.forEach((point, p) => console.log(`${pointLabel(point).padEnd(32)} ${sets.map((s) => gridRecall[p][s].toFixed(1).padStart(12)).join(" ")} ${mean(gridRecall[p]).toFixed(2).padStart(10)}`));
  const choices = leaveOneSetOut(gridRecall, 0);
  console.log("\nLeave one set out: the combination best on the other sets, scored on the set left out");
  for (const c of choices) console.log(`${c.set.padEnd(24)} ${pointLabel(points[c.chosen]).padEnd(32)} ${c.reference.toFixed(1)} -> ${c.score.toFixed(1)} (${(c.score - c.reference >= 0 ? "+" : "") + (c.score - c.reference).toFixed(1)})`);
  const delta = choices.reduce((a, c) => a + c.score - c.reference, 0) / Math.max(1, choices.length);
  console.log(`mean change on the set left out: ${delta >= 0 ? "+" : ""}${delta.toFixed(2)}`);
}
