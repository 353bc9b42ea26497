import type { LabelSpec } from "../github/forge.js";
import { TIERS, type Tier } from "./types.js";

export const CODEGEN_LABEL = "codegen";
export const NEEDS_INFRA_REVIEW_LABEL = "needs-infra-review";
export const DO_NOT_MERGE_LABEL = "do-not-merge";

export const riskLabel = (tier: Tier): string => `risk:${tier}`;

const TIER_LABELS: Record<Tier, Omit<LabelSpec, "name">> = {
  low: { color: "0e8a16", description: "codegen risk tier: tests, fixtures, docs" },
  "low-medium": { color: "c2e0c6", description: "codegen risk tier: data transformations" },
  medium: { color: "fbca04", description: "codegen risk tier: endpoints, queries, unknown code; human review" },
  high: { color: "d93f0b", description: "codegen risk tier: infrastructure/CI; draft, human approval required" },
  critical: { color: "b60205", description: "codegen risk tier: migrations/schema; never merged by the app" },
};

/** Every label the app uses, with colour and description, for `Forge.ensureLabels`. */
export const RISK_LABELS: readonly LabelSpec[] = [
  { name: CODEGEN_LABEL, color: "5319e7", description: "Pull request written by codegen" },
  ...TIERS.map((tier) => ({ name: riskLabel(tier), ...TIER_LABELS[tier] })),
  { name: NEEDS_INFRA_REVIEW_LABEL, color: "1d76db", description: "Infrastructure change: a human must review the plan" },
  { name: DO_NOT_MERGE_LABEL, color: "b60205", description: "Must not be merged until a human removes this label" },
];

/**
 * Labels to remove when a PR's tier changes (e.g. after a new push): the old `risk:*` label and the gate
 * labels the new tier no longer needs. Only labels the app manages are ever removed.
 */
export function staleRiskLabels(current: readonly string[], wanted: readonly string[]): string[] {
  const managed = new Set(RISK_LABELS.map((l) => l.name).filter((n) => n !== CODEGEN_LABEL));
  return current.filter((name) => managed.has(name) && !wanted.includes(name));
}
