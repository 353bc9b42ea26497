/**
 * Risk classifier bench: precision and recall per tier on labelled real commits.
 *
 *   node bench/run.mjs risk [--labels bench/risk/labels.jsonl] [--mirrors /work/.mirror] [--verbose]
 *
 * Each label names a public repository and commit; the commit is read from a local mirror
 * (<mirrors>/<owner>+<name>/repo, fetched outside this repository), diffed against its first parent
 * and classified with default settings. Exits 1 when critical recall is below 100%.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { repoConfigSchema } from "../../src/config/repo-config.js";
import { runGit } from "../../src/git/safe-git.js";
import { classifyChanges } from "../../src/risk/classify.js";
import { EMPTY_TREE_SHA, readChangedFiles } from "../../src/risk/changed-files.js";
import { TIERS, type RiskAssessment, type Tier } from "../../src/risk/types.js";

const labelSchema = z.object({
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  tier: z.enum(TIERS),
  why: z.string().min(1),
});
type Label = z.infer<typeof labelSchema>;

const { values } = parseArgs({
  options: {
    labels: { type: "string", default: new URL("./labels.jsonl", import.meta.url).pathname },
    mirrors: { type: "string", default: process.env.RISK_BENCH_MIRRORS ?? "/work/.mirror" },
    verbose: { type: "boolean", default: false },
  },
});

const labels: Label[] = readFileSync(values.labels!, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l, i) => {
    const parsed = labelSchema.safeParse(JSON.parse(l));
    if (!parsed.success) throw new Error(`labels line ${i + 1}: ${parsed.error.message}`);
    return parsed.data;
  });

const config = repoConfigSchema.parse({});

async function parentOf(gitDir: string, commit: string): Promise<string> {
  const out = (await runGit(["rev-list", "--parents", "-n", "1", commit], { cwd: gitDir })).toString("utf8").trim().split(/\s+/);
  return out[1] ?? EMPTY_TREE_SHA;
}

interface Outcome {
  label: Label;
  predicted: Tier;
  assessment: RiskAssessment;
}

const outcomes: Outcome[] = [];
const skipped: string[] = [];
const started = Date.now();
for (const label of labels) {
  const gitDir = join(values.mirrors!, label.repository.replace("/", "+"), "repo");
  if (!existsSync(gitDir)) {
    skipped.push(`${label.repository}@${label.commit.slice(0, 10)} (no mirror at ${gitDir})`);
    continue;
  }
  try {
    const base = await parentOf(gitDir, label.commit);
    const changes = await readChangedFiles(gitDir, { base, head: label.commit });
    const assessment = classifyChanges(changes.files, config, { repoPaths: changes.repoPaths });
    outcomes.push({ label, predicted: assessment.tier, assessment });
  } catch (error) {
    skipped.push(`${label.repository}@${label.commit.slice(0, 10)} (${(error as Error).message.split("\n")[0]})`);
  }
}
const seconds = (Date.now() - started) / 1000;

const pct = (n: number, d: number) => (d === 0 ? "   n/a" : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
const lines: string[] = [];
lines.push(`Risk classifier bench: ${outcomes.length} labelled commits from ${new Set(outcomes.map((o) => o.label.repository)).size} repositories (${seconds.toFixed(1)} s)`);
if (skipped.length) lines.push(`Skipped ${skipped.length}: ${skipped.slice(0, 5).join("; ")}${skipped.length > 5 ? " …" : ""}`);
lines.push("");
lines.push("| tier | labelled | predicted | correct | precision | recall |");
lines.push("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const tier of TIERS) {
  const labelled = outcomes.filter((o) => o.label.tier === tier).length;
  const predicted = outcomes.filter((o) => o.predicted === tier).length;
  const correct = outcomes.filter((o) => o.label.tier === tier && o.predicted === tier).length;
  lines.push(`| ${tier} | ${labelled} | ${predicted} | ${correct} | ${pct(correct, predicted)} | ${pct(correct, labelled)} |`);
}
const correct = outcomes.filter((o) => o.label.tier === o.predicted).length;
const under = outcomes.filter((o) => TIERS.indexOf(o.predicted) < TIERS.indexOf(o.label.tier)).length;
lines.push("");
lines.push(`Accuracy ${pct(correct, outcomes.length).trim()}; under-classified (predicted below the label) ${under}, over-classified ${outcomes.length - correct - under}.`);
lines.push("");
lines.push("Confusion matrix (rows: label, columns: predicted)");
lines.push(`| label \\ predicted | ${TIERS.join(" | ")} |`);
lines.push(`| --- | ${TIERS.map(() => "---:").join(" | ")} |`);
for (const row of TIERS) {
  const cells = TIERS.map((col) => outcomes.filter((o) => o.label.tier === row && o.predicted === col).length);
  lines.push(`| ${row} | ${cells.join(" | ")} |`);
}
const misses = outcomes.filter((o) => o.label.tier !== o.predicted);
if (misses.length) {
  lines.push("");
  lines.push(values.verbose ? "Misclassified:" : `Misclassified: ${misses.length} (run with --verbose for the list and reasons)`);
  if (values.verbose) {
    for (const m of misses) {
      const top = m.assessment.files.filter((f) => f.tier === m.predicted).slice(0, 2);
      lines.push(`- ${m.label.repository}@${m.label.commit.slice(0, 10)} label ${m.label.tier}, predicted ${m.predicted}: ${m.label.why}`);
      for (const f of top) lines.push(`    ${f.path}: ${f.reasons.slice(0, 2).join("; ")}`);
    }
  }
}
const criticalLabelled = outcomes.filter((o) => o.label.tier === "critical");
const criticalFound = criticalLabelled.filter((o) => o.predicted === "critical").length;
lines.push("");
lines.push(`Critical recall: ${criticalFound}/${criticalLabelled.length}${criticalFound === criticalLabelled.length ? " (100%: target met)" : " — BELOW the 100% target"}`);
console.log(lines.join("\n"));
if (criticalFound !== criticalLabelled.length) process.exitCode = 1;
