import type { RiskGateResult } from "./gate.js";
import type { RiskPolicyDecision } from "./policy.js";
import { tierRank, type FileRisk, type RiskAssessment } from "./types.js";

const TIER_ICON = { low: "🟢", "low-medium": "🟢", medium: "🟡", high: "🟠", critical: "🔴" } as const;

/** Paths and reasons come from the repository: escape them so they cannot break out of a table cell. */
export function escapeCell(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/`/g, "'")
    .replace(/([*_[\]~])/g, "\\$1")
    .replace(/@/g, "@\u200b");
}

function sortedFiles(files: readonly FileRisk[]): FileRisk[] {
  return [...files].sort((a, b) => tierRank(b.tier) - tierRank(a.tier) || a.path.localeCompare(b.path));
}

export function renderFileTable(files: readonly FileRisk[], maxRows = 100): string {
  const rows = sortedFiles(files);
  const shown = rows.slice(0, maxRows);
  const lines = ["| File | Tier | Why |", "| --- | --- | --- |"];
  for (const f of shown) {
    lines.push(`| ${escapeCell(f.path)} | ${TIER_ICON[f.tier]} ${f.tier} | ${f.reasons.map(escapeCell).join("<br>")} |`);
  }
  if (rows.length > shown.length) lines.push(`| …and ${rows.length - shown.length} more files | | |`);
  return lines.join("\n");
}

/** The risk section of the PR body: tier, what it means, what ran, and the per-file table. */
export function renderRiskSection(assessment: RiskAssessment, decision?: RiskPolicyDecision): string {
  const parts = [`### Risk: ${TIER_ICON[assessment.tier]} **${assessment.tier}**`];
  if (decision) {
    parts.push(decision.summary);
    const v = decision.validation;
    const ran: string[] = [];
    if (v.runTests) ran.push("the repository's tests");
    if (v.sampleDataCommand) ran.push(`sample data: \`${v.sampleDataCommand.replace(/`/g, "'")}\``);
    if (v.planCommands.length) ran.push(`plan: ${v.planCommands.map((c) => `\`${c.replace(/`/g, "'")}\``).join(", ")}`);
    if (v.lintMigrations) ran.push("migration lint (no execution)");
    if (ran.length) parts.push(`Validation: ${ran.join("; ")}.`);
    for (const note of v.notes) parts.push(`> ${note}`);
    if (v.listSpotChecks) {
      const files = sortedFiles(assessment.files).filter((f) => f.tier === "low-medium").slice(0, 10);
      if (files.length) parts.push(["Spot checks for a reviewer:", ...files.map((f) => `- [ ] compare the output of ${escapeCell(f.path)} on a real sample`)].join("\n"));
    }
  }
  parts.push(assessment.files.length ? renderFileTable(assessment.files) : "_No files changed._");
  return parts.join("\n\n");
}

/** The check-run summary for codegen/risk-gate: the gate's verdict, then the files that set the tier. */
export function renderGateSummary(result: RiskGateResult, assessment: RiskAssessment): string {
  const top = assessment.files.filter((f) => f.tier === assessment.tier);
  return [result.summary, `Files at tier **${assessment.tier}**:`, renderFileTable(top, 50)].join("\n\n");
}
