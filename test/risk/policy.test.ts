import { decidePolicy, POLICY_TABLE } from "../../src/risk/policy.js";
import { shouldRefuseWorkflowChange, workflowPaths, workflowRefusalMessage } from "../../src/risk/workflow-guard.js";
import { TIERS, type Tier } from "../../src/risk/types.js";
import { config } from "./helpers.js";

/** The expected decision for every tier × auto_merge × verified combination, written out by hand. */
const expected: Record<Tier, { draft: boolean; extraLabels: string[]; review: boolean; approval: boolean; neverMerge: boolean }> = {
  low: { draft: false, extraLabels: [], review: false, approval: false, neverMerge: false },
  "low-medium": { draft: false, extraLabels: [], review: false, approval: false, neverMerge: false },
  medium: { draft: false, extraLabels: [], review: true, approval: false, neverMerge: false },
  high: { draft: true, extraLabels: ["needs-infra-review"], review: true, approval: true, neverMerge: false },
  critical: { draft: true, extraLabels: ["do-not-merge"], review: true, approval: true, neverMerge: true },
};

const combinations = TIERS.flatMap((tier) =>
  [false, true].flatMap((autoMergeOptIn) => [false, true].map((verified) => ({ tier, autoMergeOptIn, verified }))),
);

describe("decidePolicy: tier × auto_merge × verified", () => {
  test.each(combinations)("$tier, auto_merge=$autoMergeOptIn, verified=$verified", ({ tier, autoMergeOptIn, verified }) => {
    const decision = decidePolicy({ tier, config: config({ auto_merge: autoMergeOptIn }), verified });
    const row = expected[tier];
    expect(decision.tier).toBe(tier);
    expect(decision.labels).toEqual(["codegen", `risk:${tier}`, ...row.extraLabels]);
    expect(decision.draft).toBe(row.draft || !verified);
    expect(decision.autoMerge).toBe(tier === "low" && autoMergeOptIn && verified);
    expect(decision.humanReviewRequired).toBe(row.review);
    expect(decision.approvalRequired).toBe(row.approval);
    expect(decision.neverMerge).toBe(row.neverMerge);
    expect(decision.requestCodeOwnerReview).toBe(!decision.autoMerge);
    if (decision.neverMerge) expect(decision.autoMerge).toBe(false);
  });
});

describe("decidePolicy: validation plan per tier", () => {
  const full = config({ risk: { sample_data_command: "make sample-check", plan_commands: ["terraform init -backend=false", "terraform validate"] } });

  test.each<[Tier, Partial<ReturnType<typeof decidePolicy>["validation"]>]>([
    ["low", { runTests: true, requireGeneratedTests: false, sampleDataCommand: null, planCommands: [], lintMigrations: false, mayExecuteChange: true }],
    ["low-medium", { runTests: true, sampleDataCommand: "make sample-check", listSpotChecks: true, planCommands: [] }],
    ["medium", { runTests: true, requireGeneratedTests: true, showQueriesForExplain: true, sampleDataCommand: null }],
    ["high", { runTests: true, planCommands: ["terraform init -backend=false", "terraform validate"], lintMigrations: false }],
    ["critical", { runTests: false, mayExecuteChange: false, lintMigrations: true, planCommands: [], sampleDataCommand: null }],
  ])("%s", (tier, plan) => {
    expect(decidePolicy({ tier, config: full, verified: true }).validation).toMatchObject(plan);
  });

  test("missing commands are named in notes, not silently skipped", () => {
    expect(decidePolicy({ tier: "low-medium", config: config(), verified: true }).validation.notes.join()).toMatch(/risk\.sample_data_command is not set/);
    expect(decidePolicy({ tier: "high", config: config(), verified: true }).validation.notes.join()).toMatch(/risk\.plan_commands is not set/);
  });

  test("the table has one row per tier", () => {
    expect(Object.keys(POLICY_TABLE).sort()).toEqual([...TIERS].sort());
  });
});

describe("workflow guard", () => {
  test.each<[string[], boolean, boolean]>([
    [[".github/workflows/ci.yml"], false, true],
    [[".github/workflows/ci.yml"], true, false],
    [["./.github/workflows/sub/x.yaml", "src/a.ts"], false, true],
    [[".github/dependabot.yml", "src/a.ts"], false, false],
    [["docs/.github/workflows/x.yml"], false, false],
  ])("%j with allow_workflow_changes=%s → refuse %s", (paths, allow, refuse) => {
    expect(shouldRefuseWorkflowChange(paths, config({ allow_workflow_changes: allow }))).toBe(refuse);
  });

  test("the refusal says how to allow it", () => {
    expect(workflowPaths(["src/a.ts", ".github/workflows/ci.yml"])).toEqual([".github/workflows/ci.yml"]);
    expect(workflowRefusalMessage([".github/workflows/ci.yml"])).toMatch(/allow_workflow_changes: true/);
  });
});
