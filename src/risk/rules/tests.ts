import { FIXTURE_PATTERNS, TEST_PATTERNS } from "../file-facts.js";
import { firstMatchingPattern } from "../globs.js";
import { addedLinesMatching, onLines, removedLinesMatching } from "../scan.js";
import { category, escalator, type RiskRule, type RuleFinding } from "./types.js";

/** Markers that switch tests off or narrow a run (risk notes §0, test-weakening escalator). */
const WEAKENING: readonly { re: RegExp; label: string; exts?: readonly string[] }[] = [
  { re: /\b(?:it|test|describe|context)\.(?:skip|todo)\s*\(|\b(?:xit|xtest|xdescribe|xcontext)\s*\(/, label: "skips tests (.skip/xit)" },
  { re: /\b(?:it|test|describe|context)\.only\s*\(|\b(?:fit|fdescribe)\s*\(/, label: "focuses tests (.only), silently skipping the rest" },
  { re: /@pytest\.mark\.(?:skip|skipif|xfail)\b|@unittest\.(?:skip|expectedFailure)\w*|\bpytest\.skip\(|self\.skipTest\(/, label: "skips Python tests" },
  { re: /\bt\.Skip(?:f|Now)?\(/, label: "skips Go tests (t.Skip)" },
  { re: /@(?:Disabled|Ignore)\b|\[Ignore\]|\[Fact\(\s*Skip\s*=/, label: "disables JVM/.NET tests" },
  { re: /^\s*(?:skip|pending)(?:\s*\(|\s+["']|\s*$)|\bxspecify\b/, label: "skips RSpec examples", exts: [".rb"] },
  { re: /@tag\s+:skip|@moduletag\s+:skip/, label: "skips ExUnit tests" },
  { re: /--passWithNoTests|--testPathIgnorePatterns|\|\|\s*true\b/, label: "lets the test run pass without running tests" },
  { re: /\bassert\s+True\b|expect\(\s*true\s*\)\.toBe\(\s*true\s*\)/, label: "adds an assertion that cannot fail" },
];

const ASSERTION = /\b(?:expect|assert\w*|should|must_\w+|refute\w*|Assert\.\w+|assertThat|require\.\w+|t\.(?:Error|Fatal)f?)\b|\bassert\b/;

export const testsRule: RiskRule = {
  id: "tests",
  description: "Tests, fixtures and snapshots: low, unless the change weakens them.",
  evaluate(facts) {
    const findings: RuleFinding[] = [];
    if (!facts.isTestLike) return findings;
    const row = firstMatchingPattern(facts.path, [...TEST_PATTERNS, ...FIXTURE_PATTERNS]) ??
      (facts.allPaths[1] ? firstMatchingPattern(facts.allPaths[1], [...TEST_PATTERNS, ...FIXTURE_PATTERNS]) : undefined);
    findings.push(category("low", row?.label ?? "test file", { tags: ["test"] }));
    if (facts.status === "deleted" && !facts.isFixture) {
      findings.push(escalator("medium", "deletes a test file (weakens the test suite)"));
      return findings;
    }
    for (const { re, label, exts } of WEAKENING) {
      if (exts && !exts.includes(facts.ext)) continue;
      const lines = addedLinesMatching(facts, re);
      if (lines.length) findings.push(escalator("medium", `weakens tests: ${label}${onLines(lines)}`));
    }
    const removedAssertions = removedLinesMatching(facts, ASSERTION).length;
    const addedAssertions = addedLinesMatching(facts, ASSERTION).length;
    if (facts.status !== "added" && removedAssertions > addedAssertions && removedAssertions - addedAssertions >= 2) {
      findings.push(
        escalator("medium", `weakens tests: removes ${removedAssertions - addedAssertions} more assertions than it adds`),
      );
    }
    return findings;
  },
};
