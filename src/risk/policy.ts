import type { RepoConfig } from "../config/repo-config.js";
import { CODEGEN_LABEL, DO_NOT_MERGE_LABEL, NEEDS_INFRA_REVIEW_LABEL, riskLabel } from "./labels.js";
import type { Tier } from "./types.js";

/** What must run before a PR of this tier is opened (the orchestrator runs it; the policy only decides). */
export interface ValidationPlan {
  /** Run the repository's tests in the sandbox. False only for critical: migrations are never executed, not even by a test suite. */
  runTests: boolean;
  /** Endpoints and queries (medium): the change must come with tests generated alongside. */
  requireGeneratedTests: boolean;
  /** Data transformations (low-medium): `risk.sample_data_command`, run in the sandbox; null when not configured. */
  sampleDataCommand: string | null;
  /** List spot checks for a human in the PR body (low-medium). */
  listSpotChecks: boolean;
  /** Queries (medium): show them for EXPLAIN review; never run them against a real database. */
  showQueriesForExplain: boolean;
  /** Infrastructure (high): `risk.plan_commands` only, in the sandbox, with no credentials. */
  planCommands: string[];
  /** Migrations (critical): lint them (never execute). */
  lintMigrations: boolean;
  /** Whether the generated change may run at all (tests, sample data, plans). */
  mayExecuteChange: boolean;
  /** Human-readable notes for the PR body, e.g. what is not configured. */
  notes: string[];
}

export interface RiskPolicyDecision {
  tier: Tier;
  /** Open the PR as a draft. */
  draft: boolean;
  labels: string[];
  /** Turn on GitHub's own auto-merge (never a direct merge): low tier, repository opt-in, verified. */
  autoMerge: boolean;
  /** A human must review before merge. */
  humanReviewRequired: boolean;
  /** The codegen/risk-gate check waits for a human writer's approval of the head commit. */
  approvalRequired: boolean;
  /** The app never merges or enables auto-merge, whatever happens later. */
  neverMerge: boolean;
  /** Request reviews from CODEOWNERS of the touched paths. */
  requestCodeOwnerReview: boolean;
  validation: ValidationPlan;
  /** One line for the PR body: what this tier means. */
  summary: string;
}

export interface PolicyInput {
  tier: Tier;
  config: RepoConfig;
  /** Verification passed (tests, plan, lint: whatever the validation plan asked for). */
  verified: boolean;
}

interface TierRow {
  draft: boolean;
  labels: string[];
  autoMergeAllowed: boolean;
  humanReviewRequired: boolean;
  approvalRequired: boolean;
  neverMerge: boolean;
  summary: string;
}

/** The one table. Every merge/label/draft question in the app is answered from here. */
export const POLICY_TABLE: Readonly<Record<Tier, TierRow>> = {
  low: {
    draft: false,
    labels: [],
    autoMergeAllowed: true,
    humanReviewRequired: false,
    approvalRequired: false,
    neverMerge: false,
    summary: "Tests, fixtures or docs: the tests ran; may auto-merge only if the repository opts in and required checks pass.",
  },
  "low-medium": {
    draft: false,
    labels: [],
    autoMergeAllowed: false,
    humanReviewRequired: false,
    approvalRequired: false,
    neverMerge: false,
    summary: "Data transformation: run on sample data and compared with expected output; ready for review with spot checks listed.",
  },
  medium: {
    draft: false,
    labels: [],
    autoMergeAllowed: false,
    humanReviewRequired: true,
    approvalRequired: false,
    neverMerge: false,
    summary: "Endpoints, queries or unrecognised code: tests generated alongside and run; queries are for EXPLAIN review, never run against a real database. Needs human review.",
  },
  high: {
    draft: true,
    labels: [NEEDS_INFRA_REVIEW_LABEL],
    autoMergeAllowed: false,
    humanReviewRequired: true,
    approvalRequired: true,
    neverMerge: false,
    summary: "Infrastructure or CI: only the configured plan/dry-run commands ran, in the sandbox, without credentials. Draft; a human with write access must approve.",
  },
  critical: {
    draft: true,
    labels: [DO_NOT_MERGE_LABEL],
    autoMergeAllowed: false,
    humanReviewRequired: true,
    approvalRequired: true,
    neverMerge: true,
    summary: "Database migration or schema: never executed, only linted. Draft, do-not-merge; a human must approve and merge it — the app never will.",
  },
};

function validationFor(tier: Tier, config: RepoConfig): ValidationPlan {
  const notes: string[] = [];
  const sampleDataCommand = tier === "low-medium" ? (config.risk.sample_data_command ?? null) : null;
  if (tier === "low-medium" && !sampleDataCommand) {
    notes.push("risk.sample_data_command is not set in .github/codegen.yml: no sample-data comparison ran; see the spot checks.");
  }
  const planCommands = tier === "high" ? [...config.risk.plan_commands] : [];
  if (tier === "high" && planCommands.length === 0) {
    notes.push("risk.plan_commands is not set in .github/codegen.yml: no plan or dry-run ran; review the change by hand.");
  }
  if (tier === "critical") notes.push("Migrations are never executed by codegen, not even through the test suite.");
  return {
    runTests: tier !== "critical",
    requireGeneratedTests: tier === "medium",
    sampleDataCommand,
    listSpotChecks: tier === "low-medium",
    showQueriesForExplain: tier === "medium",
    planCommands,
    lintMigrations: tier === "critical",
    mayExecuteChange: tier !== "critical",
    notes,
  };
}

/** Decide draft, labels, auto-merge and review for a PR. Pure: the integrator applies it through the Forge. */
export function decidePolicy({ tier, config, verified }: PolicyInput): RiskPolicyDecision {
  const row = POLICY_TABLE[tier];
  const autoMerge = row.autoMergeAllowed && config.auto_merge && verified;
  return {
    tier,
    // An unverified change is only ever pushed as a draft (on_give_up: draft).
    draft: row.draft || !verified,
    labels: [CODEGEN_LABEL, riskLabel(tier), ...row.labels],
    autoMerge,
    humanReviewRequired: row.humanReviewRequired,
    approvalRequired: row.approvalRequired,
    neverMerge: row.neverMerge,
    requestCodeOwnerReview: !autoMerge,
    validation: validationFor(tier, config),
    summary: row.summary,
  };
}
