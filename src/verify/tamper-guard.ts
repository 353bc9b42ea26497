import { parsePatch } from "diff";
import type { ChangedFile } from "../risk/types.js";
import { assertionClaim, isAssertion, isTestDeclaration, skipMarkers, type AssertionClaim } from "./tamper/patterns.js";
import { taskAllowsTestChanges } from "./tamper/task-permission.js";
import { narrowedTestCommand } from "./tamper/test-command.js";
import { isSnapshotFile, isTestConfigFile, isTestFile, testLanguage, type TestLanguage } from "./tamper/test-files.js";
import type { DetectTamperingInput, TamperFinding, TamperKind } from "./tamper/types.js";

export { taskAllowsTestChanges } from "./tamper/task-permission.js";
export { narrowedTestCommand } from "./tamper/test-command.js";
export { isTestFile, isTestConfigFile, isSnapshotFile } from "./tamper/test-files.js";
export { TAMPER_KINDS, type DetectTamperingInput, type TamperFinding, type TamperKind } from "./tamper/types.js";

/**
 * The anti-gaming guard: finds changes that make a test run pass without making the code right — deleted
 * or skipped tests, removed or weakened assertions, rewritten snapshots, test configuration that excludes
 * tests, and a test command that runs fewer tests or ignores their result. Findings go into the PR body;
 * a finding the task did not ask for means the run is not a success.
 */

interface Hunk {
  removed: string[];
  added: string[];
  /** Every line with its diff prefix (" ", "-", "+"). */
  lines: string[];
  newStart: number;
}

function hunksOf(file: ChangedFile): Hunk[] {
  if (!file.patch) return [];
  try {
    return parsePatch(file.patch).flatMap((p) =>
      p.hunks.map((h) => ({
        removed: h.lines.filter((l) => l.startsWith("-")).map((l) => l.slice(1)),
        added: h.lines.filter((l) => l.startsWith("+")).map((l) => l.slice(1)),
        lines: h.lines.filter((l) => /^[ +-]/.test(l)),
        newStart: h.newStart,
      })),
    );
  } catch {
    return [];
  }
}

/**
 * In INI/TOML files shared with other tools (pyproject.toml, setup.cfg, tox.ini) only the test runner's
 * sections count. Returns a filter for a hunk's changed lines by the `[section]` they sit in, found in the
 * hunk itself or, above it, in the new content.
 */
const SECTIONED: { file: RegExp; section: RegExp }[] = [
  { file: /(^|\/)pyproject\.toml$/, section: /^tool\.pytest/ },
  { file: /(^|\/)setup\.cfg$/, section: /^tool:pytest$/ },
  { file: /(^|\/)tox\.ini$/, section: /^(pytest|testenv.*|tox)$/ },
];

function sectionFilter(file: ChangedFile): ((hunk: Hunk) => Hunk) | null {
  const rule = SECTIONED.find((r) => r.file.test(file.path));
  if (!rule) return null;
  const contentLines = (file.content ?? "").split("\n");
  return (hunk) => {
    let section: string | null = null;
    for (let i = Math.min(hunk.newStart - 1, contentLines.length) - 1; i >= 0 && section === null; i--) {
      section = /^\s*\[([^\]]+)\]/.exec(contentLines[i])?.[1] ?? null;
    }
    const kept: Hunk = { removed: [], added: [], lines: [], newStart: hunk.newStart };
    for (const line of hunk.lines) {
      section = /^.\s*\[([^\]]+)\]/.exec(line)?.[1] ?? section;
      if (section === null || !rule.section.test(section)) continue;
      kept.lines.push(line);
      if (line.startsWith("+")) kept.added.push(line.slice(1));
      if (line.startsWith("-")) kept.removed.push(line.slice(1));
    }
    return kept;
  };
}

const quote = (line: string) => `\`${line.trim().slice(0, 160)}\``;

/** Comment prefixes by language; a test line that reappears behind one was commented out. */
function uncommented(line: string, language: TestLanguage): string | null {
  const m = (language === "python" || language === "ruby" ? /^\s*#+\s?(.*)$/ : /^\s*(?:\/\/+|\/\*+|\*)\s?(.*?)(?:\*\/)?$/).exec(line.trimEnd());
  return m ? m[1].trim() : null;
}

function testFileFindings(file: ChangedFile, finding: (kind: TamperKind, detail: string) => void): void {
  const language = testLanguage(file.path);
  const hunks = hunksOf(file);
  const added = hunks.flatMap((h) => h.added);
  const removed = hunks.flatMap((h) => h.removed);
  const isNew = file.status === "added";

  // Skip, focus and expected-failure markers: count per marker, so moving a marked line is not a finding.
  for (const marker of skipMarkers(language)) {
    if (isNew && marker.effect !== "focus") continue;
    const gained = added.filter((l) => marker.pattern.test(l));
    const lost = removed.filter((l) => marker.pattern.test(l)).length;
    if (gained.length <= lost) continue;
    const effect =
      marker.effect === "focus"
        ? "focuses the run on some tests, so every other test is skipped"
        : marker.effect === "expected-failure"
          ? "marks a test as expected to fail, so its failure no longer fails the run"
          : "skips a test";
    finding("skipped-test", `${marker.label} ${effect}: ${quote(gained[0])}`);
  }
  if (isNew) return;

  // Tests and assertions commented out rather than deleted.
  const removedTrimmed = new Set(removed.map((l) => l.trim()));
  const commentedOut = added.filter((l) => {
    const inner = uncommented(l, language);
    return inner !== null && inner !== "" && removedTrimmed.has(inner) && (isTestDeclaration(inner, language) || isAssertion(inner, language));
  });
  if (commentedOut.length > 0) finding("skipped-test", `comments out test code: ${quote(commentedOut[0])}`);

  const declarations = (lines: string[]) => lines.filter((l) => uncommented(l, language) === null && isTestDeclaration(l, language));
  const lostTests = declarations(removed).length - declarations(added).length;
  if (lostTests > 0) {
    // Name a test whose title is gone, not one that was only renamed or marked (`it(` → `it.skip(`).
    const titles = new Set(declarations(added).map(declarationTitle));
    const example = declarations(removed).find((l) => !titles.has(declarationTitle(l))) ?? declarations(removed)[0];
    finding("removed-test", `removes ${lostTests} test case(s), e.g. ${quote(example)}`);
  }

  const assertions = (lines: string[]) => lines.filter((l) => uncommented(l, language) === null && isAssertion(l, language));
  const removedAssertions = assertions(removed);
  const addedAssertions = assertions(added);
  if (removedAssertions.length > addedAssertions.length) {
    finding(
      "removed-assertions",
      `removes ${removedAssertions.length - addedAssertions.length} assertion(s) (${removedAssertions.length} removed, ${addedAssertions.length} added), e.g. ${quote(removedAssertions.find((l) => !added.some((a) => a.trim() === l.trim())) ?? removedAssertions[0])}`,
    );
  }

  for (const hunk of hunks) {
    for (const [before, after] of weakenedPairs(hunk, language)) {
      finding("weakened-assertion", `weakens ${quote(before)} to ${quote(after)}`);
    }
  }
}

/** A test's title (`it("adds")` → adds) or function name (`def test_add` → test_add). */
function declarationTitle(line: string): string {
  return /(['"`])((?:(?!\1).)*)\1/.exec(line)?.[2] ?? /(?:def|func)\s+(\w+)/.exec(line)?.[1] ?? line.trim();
}

/** Removed assertions paired with added ones on the same subject (or in the same order) that claim less. */
function weakenedPairs(hunk: Hunk, language: TestLanguage): [string, string][] {
  const claims = (lines: string[]) =>
    lines
      .map((line) => ({ line, claim: isAssertion(line, language) ? assertionClaim(line, language) : null }))
      .filter((x): x is { line: string; claim: AssertionClaim } => x.claim !== null);
  const removed = claims(hunk.removed);
  const added = claims(hunk.added);
  const used = new Set<number>();
  const pairs: [string, string][] = [];
  removed.forEach((r, index) => {
    let match = added.findIndex((a, i) => !used.has(i) && a.claim.subject === r.claim.subject);
    if (match < 0 && removed.length === added.length && !used.has(index)) match = index;
    if (match < 0) return;
    used.add(match);
    if (added[match].claim.level < r.claim.level) pairs.push([r.line, added[match].line]);
  });
  return pairs;
}

/** Keys in test-runner configuration that exclude or filter tests, or let failures pass. */
const EXCLUDING_CONFIG =
  /\b(testPathIgnorePatterns|modulePathIgnorePatterns|testPathPattern|testNamePattern|exclude|ignore|ignorePatterns|skip|only|grep|fgrep|invert|deselect|collect_ignore(_glob)?|norecursedirs|pytest_collection_modifyitems|pytest_ignore_collect|passWithNoTests|allowOnly|bail|retry|retries|reruns|forbidOnly|xfail_strict|addopts|testTimeout|forceExit|failOnEmptyTestSuite)\b|(^|\s)(--ignore|--deselect|-k|-m|--lf)(\s|=|$)/;
/** Keys that choose which tests run: removing lines with them can drop tests. */
const SELECTING_CONFIG = /\b(testMatch|testRegex|roots|projects|include|spec|specs|testpaths|python_files|python_classes|python_functions|testDir|testMatch|files|workspace)\b/;

/** `"test": "…"` (package.json scripts, anywhere on the line), `test: …` (codegen.yml), `commands = …` (tox). */
const JSON_SCRIPT = /"(test(?::[\w:-]+)?)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
const YAML_OR_INI_COMMAND = /^\s*(?:(test)\s*:\s*["']?(.+?)["']?|(commands)\s*=\s*(.+))$/;

function commandsIn(lines: string[]): { key: string; value: string }[] {
  const found: { key: string; value: string }[] = [];
  for (const line of lines) {
    for (const m of line.matchAll(JSON_SCRIPT)) found.push({ key: m[1], value: m[2].replace(/\\"/g, '"') });
    const other = YAML_OR_INI_COMMAND.exec(line.trimEnd());
    if (other && !line.includes('"test')) found.push({ key: other[1] ?? other[3], value: other[2] ?? other[4] });
  }
  return found;
}

function configFindings(file: ChangedFile, finding: (kind: TamperKind, detail: string) => void): void {
  const inSection = sectionFilter(file);
  const hunks = inSection ? hunksOf(file).map(inSection) : hunksOf(file);
  const added = hunks.flatMap((h) => h.added);
  const removed = hunks.flatMap((h) => h.removed);

  // A changed test command inside a config file (package.json script, codegen.yml, tox.ini).
  const commands = commandsIn;
  const oldCommands = commands(removed);
  const handled = new Set<string>();
  for (const next of commands(added)) {
    const previous = oldCommands.find((c) => c.key === next.key);
    if (!previous) continue;
    handled.add(next.value);
    const reasons = narrowedTestCommand(previous.value, next.value);
    if (reasons.length > 0) finding("narrowed-test-command", `changes the \`${next.key}\` command from ${quote(previous.value)} to ${quote(next.value)}: it ${reasons.join("; ")}`);
  }
  for (const previous of oldCommands) {
    if (!commands(added).some((c) => c.key === previous.key) && /^test/.test(previous.key)) {
      finding("narrowed-test-command", `removes the \`${previous.key}\` command ${quote(previous.value)}`);
    }
  }

  const excluding = added.filter((l) => EXCLUDING_CONFIG.test(l) && !commands([l]).some((c) => handled.has(c.value)));
  const lostSelection = removed.filter((l) => SELECTING_CONFIG.test(l) && !added.some((a) => a.trim() === l.trim()));
  const isPackageJson = /(^|\/)package\.json$/.test(file.path);
  // In package.json only keys under jest/mocha/ava/vitest settings matter; `"files"` or `"exclude"` elsewhere are packaging.
  const relevant = (lines: string[]) => (isPackageJson ? lines.filter((l) => /testPath|testMatch|testRegex|passWithNoTests|"(jest|mocha|ava|vitest)"|"spec"|"grep"|"only"|"ignore"|"exclude"/.test(l)) : lines);
  const flagged = [...relevant(excluding), ...relevant(lostSelection).map((l) => `-${l.trim()}`)];
  if (flagged.length > 0) finding("modified-test-config", `changes which tests run or what counts as passing: ${flagged.slice(0, 3).map(quote).join(", ")}`);
}

export function detectTestTampering(input: DetectTamperingInput): TamperFinding[] {
  const findings: TamperFinding[] = [];
  const add = (kind: TamperKind, path: string, detail: string) => {
    if (!findings.some((f) => f.kind === kind && f.path === path && f.detail === detail)) {
      findings.push({ kind, path, detail, allowedByTask: taskAllowsTestChanges(input.task, kind) });
    }
  };

  for (const file of input.changes) {
    const wasTest = isTestFile(file.previousPath ?? file.path);
    if (file.status === "deleted" && (isTestFile(file.path) || isSnapshotFile(file.path))) {
      add("deleted-test-file", file.path, `deletes ${isSnapshotFile(file.path) ? "the snapshot file" : "the test file"} ${file.path}`);
      continue;
    }
    if (file.status === "renamed" && wasTest && !isTestFile(file.path)) {
      add("deleted-test-file", file.previousPath ?? file.path, `renames ${file.previousPath} to ${file.path}, which the test runner no longer picks up`);
      continue;
    }
    if (isSnapshotFile(file.path) && file.status !== "added") {
      add("modified-snapshot", file.path, `rewrites the stored snapshot ${file.path}, so the output is compared against new expectations`);
      continue;
    }
    if (isTestFile(file.path) || (file.status === "renamed" && wasTest)) {
      testFileFindings(file, (kind, detail) => add(kind, file.path, detail));
    }
    if (isTestConfigFile(file.path)) {
      configFindings(file, (kind, detail) => add(kind, file.path, detail));
    }
  }

  if (input.newTestCommand !== undefined && input.newTestCommand.trim() !== input.baseTestCommand.trim()) {
    const reasons = narrowedTestCommand(input.baseTestCommand, input.newTestCommand);
    if (reasons.length > 0) {
      add("narrowed-test-command", "", `the test command changed from ${quote(input.baseTestCommand)} to ${quote(input.newTestCommand)}: it ${reasons.join("; ")}`);
    } else {
      add("modified-test-config", "", `the test command changed from ${quote(input.baseTestCommand)} to ${quote(input.newTestCommand)}`);
    }
  }
  return findings;
}

/** Findings the task did not ask for: any of them means the change must not be counted as a success. */
export function blockingFindings(findings: TamperFinding[]): TamperFinding[] {
  return findings.filter((f) => !f.allowedByTask);
}
