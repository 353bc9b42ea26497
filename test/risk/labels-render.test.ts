import { RISK_LABELS, riskLabel, staleRiskLabels } from "../../src/risk/labels.js";
import { decidePolicy } from "../../src/risk/policy.js";
import { escapeCell, renderFileTable, renderGateSummary, renderRiskSection } from "../../src/risk/render.js";
import { TIERS, type RiskAssessment } from "../../src/risk/types.js";
import { config } from "./helpers.js";

describe("labels", () => {
  test("every label the policy can ask for exists, with a colour and a description", () => {
    const names = RISK_LABELS.map((l) => l.name);
    for (const tier of TIERS) {
      for (const auto of [false, true]) {
        for (const label of decidePolicy({ tier, config: config({ auto_merge: auto }), verified: true }).labels) expect(names).toContain(label);
      }
    }
    for (const label of RISK_LABELS) {
      expect(label.color).toMatch(/^[0-9a-f]{6}$/);
      expect(label.description.length).toBeGreaterThan(0);
      expect(label.description.length).toBeLessThanOrEqual(100); // GitHub's limit
    }
    expect(names).toEqual(["codegen", "risk:low", "risk:low-medium", "risk:medium", "risk:high", "risk:critical", "needs-infra-review", "do-not-merge"]);
  });

  test("stale labels: the old tier and gate labels go, codegen and foreign labels stay", () => {
    expect(staleRiskLabels(["codegen", "risk:critical", "do-not-merge", "bug"], ["codegen", riskLabel("medium")])).toEqual(["risk:critical", "do-not-merge"]);
  });
});

const assessment: RiskAssessment = {
  tier: "critical",
  files: [
    { path: "README.md", tier: "low", reasons: ["Markdown documentation"] },
    { path: "db/migrate/1_add|pipe.rb", tier: "critical", reasons: ["Rails migration under db/migrate/: new migration", "shipped with code"] },
    { path: "etl/x.py", tier: "low-medium", reasons: ["data transformation module"] },
  ],
};

describe("renderers", () => {
  test("escapeCell keeps untrusted text inside its cell", () => {
    expect(escapeCell("a|b\n<img src=x>`@user`")).toBe("a\\|b &lt;img src=x&gt;'@\u200buser'");
  });

  test("the file table lists the highest tiers first and escapes paths", () => {
    const table = renderFileTable(assessment.files);
    const rows = table.split("\n").slice(2);
    expect(rows[0]).toContain("db/migrate/1\\_add\\|pipe.rb");
    expect(rows[0]).toContain("Rails migration under db/migrate/: new migration<br>shipped with code");
    expect(rows[2]).toContain("README.md");
  });

  test("the table is capped", () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ path: `f${i}.ts`, tier: "medium" as const, reasons: ["x"] }));
    expect(renderFileTable(many, 2)).toContain("…and 3 more files");
  });

  test("the PR risk section says what the tier means and what ran", () => {
    const decision = decidePolicy({ tier: "critical", config: config(), verified: true });
    const section = renderRiskSection(assessment, decision);
    expect(section).toMatch(/^### Risk: 🔴 \*\*critical\*\*/);
    expect(section).toContain("never executed, only linted");
    expect(section).toContain("migration lint (no execution)");
    expect(section).toContain("| File | Tier | Why |");
  });

  test("low-medium lists spot checks", () => {
    const lm: RiskAssessment = { tier: "low-medium", files: [assessment.files[2]] };
    const section = renderRiskSection(lm, decidePolicy({ tier: "low-medium", config: config(), verified: true }));
    expect(section).toContain("- [ ] compare the output of etl/x.py on a real sample");
    expect(section).toContain("risk.sample_data_command is not set");
  });

  test("the gate summary shows only the files at the PR's tier", () => {
    const text = renderGateSummary({ conclusion: "action_required", title: "t", summary: "Needs approval.", approvedBy: [] }, assessment);
    expect(text).toContain("Needs approval.");
    expect(text).toContain("1\\_add");
    expect(text).not.toContain("README.md");
  });
});
