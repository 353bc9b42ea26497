import type { RepoConfig } from "../config/repo-config.js";
import { CHANGE_SET_ESCALATORS, type ChangeSetEscalator, type FileDraft } from "./escalators.js";
import { buildFileFacts, type FileFacts } from "./file-facts.js";
import { matchesGlob, normalizePath } from "./globs.js";
import { RISK_RULES } from "./rules/index.js";
import type { RiskRule, RuleContext, RuleFinding } from "./rules/types.js";
import { maxTier, tierRank, type ChangedFile, type FileRisk, type RiskAssessment, type Tier } from "./types.js";

export interface ClassifyOptions {
  /** Every path of the repository at the new revision (helps rules such as "Chart.yaml above this template"). */
  repoPaths?: Iterable<string>;
  rules?: readonly RiskRule[];
  escalators?: readonly ChangeSetEscalator[];
}

type RiskPattern = RepoConfig["risk"]["patterns"][number];

/**
 * A repository pattern glob matches like a picomatch glob from the repository root; a glob without a
 * slash matches the file name at any depth (as in .gitignore), so `*.sql` means every SQL file.
 */
export function patternMatches(path: string, glob: string): boolean {
  const g = normalizePath(glob);
  return matchesGlob(path, g) || (!g.includes("/") && matchesGlob(path, `**/${g}`));
}

function matchingPatterns(facts: FileFacts, patterns: readonly RiskPattern[]): { pattern: RiskPattern; glob: string }[] {
  const found: { pattern: RiskPattern; glob: string }[] = [];
  for (const pattern of patterns) {
    const glob = pattern.paths.find((g) => facts.allPaths.some((p) => patternMatches(p, g)));
    if (glob) found.push({ pattern, glob });
  }
  return found;
}

function unknownReason(facts: FileFacts): string {
  const what = facts.ext ? `${facts.ext} file` : `file ${facts.basename}`;
  return facts.isCode
    ? `unrecognised source code (${what}): unknown code defaults to medium`
    : `unrecognised ${what}: files no rule recognises default to medium`;
}

const byTierDesc = (a: { tier: Tier }, b: { tier: Tier }) => tierRank(b.tier) - tierRank(a.tier);

/** Combine one file's findings with the repository's patterns into its tier and reasons. */
export function resolveFileRisk(facts: FileFacts, findings: readonly RuleFinding[], config: RepoConfig): FileRisk {
  const categories = findings.filter((f) => f.kind === "category");
  const floors = findings.filter((f) => f.kind === "escalator" || f.locked);
  const reasons: { tier: Tier; reason: string }[] = [];

  let base: Tier;
  if (categories.length) {
    base = maxTier(...categories.map((f) => f.tier));
  } else {
    base = "medium";
    reasons.push({ tier: base, reason: unknownReason(facts) });
  }

  // Repository patterns replace the detected category; when several match, the strictest wins.
  const patterns = matchingPatterns(facts, config.risk.patterns);
  if (patterns.length) {
    const strictest = patterns.reduce((a, b) => (tierRank(b.pattern.tier) > tierRank(a.pattern.tier) ? b : a));
    base = strictest.pattern.tier;
    const why = strictest.pattern.reason ? `: ${strictest.pattern.reason}` : "";
    reasons.push({ tier: base, reason: `repository pattern "${strictest.glob}" in .github/codegen.yml sets ${base}${why}` });
  }

  const floor = floors.length ? maxTier(...floors.map((f) => f.tier)) : "low";
  const tier = maxTier(base, floor);
  if (patterns.length && tierRank(floor) > tierRank(base)) {
    const lockedBy = floors.filter((f) => f.tier === floor)[0];
    reasons.push({ tier, reason: `the repository pattern cannot lower this file below ${floor} (${lockedBy.reason})` });
  }
  for (const f of [...findings].sort(byTierDesc)) reasons.push({ tier: f.tier, reason: f.reason });

  const seen = new Set<string>();
  const ordered = reasons
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => byTierDesc(a, b) || a.i - b.i)
    .map((r) => r.reason)
    .filter((r) => (seen.has(r) ? false : (seen.add(r), true)));
  return { path: facts.path, tier, reasons: ordered };
}

/**
 * Classify a change: every rule runs on every file, cross-file escalators run on the whole set, and the
 * change's tier is the highest file tier. Pure: no I/O.
 */
export function classifyChanges(files: readonly ChangedFile[], config: RepoConfig, options: ClassifyOptions = {}): RiskAssessment {
  const rules = options.rules ?? RISK_RULES;
  const escalators = options.escalators ?? CHANGE_SET_ESCALATORS;
  const facts = files.map(buildFileFacts);
  const changedPaths = new Set(facts.flatMap((f) => f.allPaths));
  const repoPaths = new Set<string>(changedPaths);
  let repoPathsComplete = false;
  if (options.repoPaths) {
    repoPathsComplete = true;
    for (const p of options.repoPaths) repoPaths.add(normalizePath(p));
  }
  const context: RuleContext = { config, repoPaths, repoPathsComplete, changedPaths };
  const drafts: FileDraft[] = facts.map((f) => ({ facts: f, findings: rules.flatMap((rule) => rule.evaluate(f, context)) }));
  for (const escalator of escalators) {
    for (const { path, finding } of escalator.apply(drafts)) {
      drafts.find((d) => d.facts.path === path)?.findings.push(finding);
    }
  }
  const risks = drafts.map((d) => resolveFileRisk(d.facts, d.findings, config));
  return { tier: risks.length ? maxTier(...risks.map((r) => r.tier)) : "low", files: risks };
}
