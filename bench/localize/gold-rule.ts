/**
 * Which files of a fix commit count as gold when a set is assembled (make-set.ts): kept apart so that the rule
 * can be tested without running the command.
 */
import { isClassNamedTestPath, isColocatedTest, isGherkinScenario, isInReleaseNotes, isTestDirectory } from "../../src/context/candidates.js";

/**
 * Paths the gold leaves out: tests (as SWE-bench does) and changelog entries. `content` (the file at the fix
 * commit) decides for files named just `test.js` / `spec.ts`, which are tests kept next to their module in some
 * repositories and a module called Test in others.
 */
export function isExcludedFromGold(path: string, content?: string): boolean {
  if (content !== undefined && isColocatedTest(path, content)) return true;
  const segments = path.split("/");
  const name = segments.at(-1)!.toLowerCase();
  // The selector's own test folders (`Tests/` too).
  if (segments.slice(0, -1).some(isTestDirectory)) return true;
  if (/\.(test|spec|test-d)\.[cm]?[jt]sx?$/.test(name) || name.endsWith(".snap")) return true;
  // Python's, Go's and Ruby's test naming conventions (pytest collects test_*.py and *_test.py; conftest.py holds
  // fixtures; RSpec's *_spec.rb, minitest's *_test.rb), and Gherkin scenarios.
  if (/^test_\w*\.py$|_test\.(py|go|rb)$|_spec\.rb$|^conftest\.py$/.test(name) || isGherkinScenario(name)) return true;
  // JUnit's and PHPUnit's test classes, also where they are kept beside the code (flysystem's `src/ConfigTest.php`).
  if (isClassNamedTestPath(path)) return true;
  if (/^(changelog|changes|history|news)(\.(md|rst|txt))?$/.test(name)) return true;
  if (isInReleaseNotes(path)) return true;
  // Release-note fragments (towncrier's `changelog/1234.bugfix.rst`) are bookkeeping too; `.changeset/` is above.
  if (segments.length > 1 && /^(changelog\.d|newsfragments)$/.test(segments[0])) return true;
  if (segments.length === 2 && /^(changes|news|changelog)$/.test(segments[0]) && /^\d+\./.test(name)) return true;
  // Deeper towncrier folders name the fragment by issue and type, e.g. pylint's `doc/whatsnew/fragments/9669.false_negative`.
  if (/^(fragments|newsfragments|changelog\.d)$/.test(segments.at(-2) ?? "") && /^\d+\.[a-z_]+(\.(md|rst|txt))?$/.test(name)) return true;
  return false;
}
