/** The risk stage: classify a change into a tier, and the one policy table for drafts, labels and merges. */
export { classifyChanges, resolveFileRisk, patternMatches, type ClassifyOptions } from "./classify.js";
export { readChangedFiles, resolveCommit, EMPTY_TREE_SHA, type ChangeSet, type ReadChangesOptions } from "./changed-files.js";
export { decidePolicy, POLICY_TABLE, type PolicyInput, type RiskPolicyDecision, type ValidationPlan } from "./policy.js";
export {
  evaluateRiskGate,
  latestDecisiveReviews,
  reviewersToLookUp,
  RISK_GATE_CHECK_NAME,
  type RiskGateInput,
  type RiskGateResult,
} from "./gate.js";
export { shouldRefuseWorkflowChange, workflowPaths, workflowRefusalMessage } from "./workflow-guard.js";
export { RISK_LABELS, riskLabel, staleRiskLabels, CODEGEN_LABEL, DO_NOT_MERGE_LABEL, NEEDS_INFRA_REVIEW_LABEL } from "./labels.js";
export {
  CODEOWNERS_LOCATIONS,
  codeownersMatcher,
  ownersForPaths,
  parseCodeowners,
  ruleFor,
  type CodeownersRule,
  type Owners,
} from "./codeowners.js";
export { renderRiskSection, renderGateSummary, renderFileTable, escapeCell } from "./render.js";
export { RISK_RULES } from "./rules/index.js";
export { CHANGE_SET_ESCALATORS } from "./escalators.js";
export * from "./types.js";
