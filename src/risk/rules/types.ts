import type { RepoConfig } from "../../config/repo-config.js";
import type { FileFacts } from "../file-facts.js";
import type { Tier } from "../types.js";

/** Facts that cross-file escalators read (e.g. "a schema change" and "a migration" in the same change). */
export type FileTag = "migration" | "schema-state" | "schema-change" | "workflow" | "test" | "dependency-manifest";

/**
 * One thing a rule noticed about a file.
 * - `category` findings say what kind of file this is; the highest one is the file's base tier, and a
 *   repository pattern may replace it.
 * - `escalator` findings are danger signals in the content; they raise the tier and no pattern lowers them.
 * - `locked` category findings (migrations, schema files, workflows, codegen's own config) are floors
 *   that repository patterns cannot lower either.
 */
export interface RuleFinding {
  tier: Tier;
  reason: string;
  kind: "category" | "escalator";
  locked?: boolean;
  tags?: FileTag[];
}

export interface RuleContext {
  config: RepoConfig;
  /** Every path in the repository at the new revision when known, plus every changed path. */
  repoPaths: ReadonlySet<string>;
  /** True when `repoPaths` holds the whole tree (not only the changed paths). */
  repoPathsComplete: boolean;
  changedPaths: ReadonlySet<string>;
}

export type RiskCategory =
  | "migrations"
  | "schema"
  | "infrastructure"
  | "ci"
  | "api"
  | "queries"
  | "data"
  | "tests"
  | "docs"
  | "dependencies"
  | "repo-config";

/** One category of risk knowledge. Rules are pure: facts in, findings out. */
export interface RiskRule {
  id: RiskCategory;
  description: string;
  evaluate(facts: FileFacts, context: RuleContext): RuleFinding[];
}

export const category = (tier: Tier, reason: string, extra: Partial<RuleFinding> = {}): RuleFinding => ({
  tier,
  reason,
  kind: "category",
  ...extra,
});

export const escalator = (tier: Tier, reason: string, extra: Partial<RuleFinding> = {}): RuleFinding => ({
  tier,
  reason,
  kind: "escalator",
  ...extra,
});

/** True when some ancestor directory of `path` holds `fileName` (e.g. Chart.yaml above a Helm template). */
export function hasAncestorFile(path: string, fileNames: readonly string[], repoPaths: ReadonlySet<string>): string | undefined {
  const parts = path.split("/");
  for (let i = parts.length - 1; i >= 0; i--) {
    const dir = parts.slice(0, i).join("/");
    for (const name of fileNames) {
      const candidate = dir ? `${dir}/${name}` : name;
      if (repoPaths.has(candidate)) return candidate;
    }
  }
  return undefined;
}
