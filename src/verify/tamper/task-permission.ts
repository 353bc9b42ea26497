import type { TamperKind } from "./types.js";

/**
 * Whether the task explicitly asks for the kind of test change a finding describes ("remove the obsolete
 * tests for v1", "skip the flaky upload test", "update the snapshots"). A verb has to come within a few
 * words of a test noun, in either order, and not be negated ("do not delete tests" allows nothing). "Fix the
 * failing test" does not count: that is exactly the request under which tests get weakened.
 */

const TEST_NOUN =
  String.raw`(?:tests?|specs?|test[ -]?(?:cases?|files?|suites?)|unit[ -]tests?|e2e[ -]tests?|integration[ -]tests?|assertions?|expectations?|test_\w+|\w+\.(?:test|spec)\.[cm]?[jt]sx?|\w+_test\.(?:go|py)|\w+_spec\.rb)`;
const SNAPSHOT_NOUN = String.raw`(?:snapshots?|golden files?|fixtures?)`;
const CONFIG_NOUN = String.raw`(?:test (?:command|script|config(?:uration)?|setup|matrix)|jest config(?:uration)?|vitest config(?:uration)?|pytest (?:config(?:uration)?|options|addopts)|testPathIgnorePatterns|addopts|\.mocharc)`;

const GAP = String.raw`(?:\W+[\w'.-]+){0,6}?\W+`;

const VERBS: Record<"remove" | "skip" | "change" | "snapshot" | "config", string> = {
  remove: String.raw`(?:remove[sd]?|removing|delete[sd]?|deleting|drop(?:s|ped|ping)?|get rid of|prune[sd]?|retire[sd]?|clean(?:s|ed|ing)? up)`,
  skip: String.raw`(?:skip(?:s|ped|ping)?|disable[sd]?|disabling|ignore[sd]?|ignoring|quarantine[sd]?|xfail|mute[sd]?|comment(?:s|ed|ing)? out|mark(?:s|ed|ing)?${GAP}(?:as )?(?:skipped|pending|xfail|flaky|todo))`,
  change: String.raw`(?:update[sd]?|updating|change[sd]?|changing|modify|modified|modifies|adjust(?:s|ed|ing)?|rewrite|rewrites|rewritten|rewriting|relax(?:es|ed|ing)?|loosen(?:s|ed|ing)?|rework(?:s|ed|ing)?|replace[sd]?|replacing|edit(?:s|ed|ing)?|refactor(?:s|ed|ing)?|simplify|simplified|consolidate[sd]?|merge[sd]?)`,
  snapshot: String.raw`(?:update[sd]?|updating|regenerate[sd]?|regenerating|refresh(?:es|ed|ing)?|re-?record(?:s|ed|ing)?|rewrite|rewritten|re-?create[sd]?)`,
  config: String.raw`(?:change[sd]?|changing|update[sd]?|updating|modify|modified|adjust(?:s|ed|ing)?|narrow(?:s|ed|ing)?|restrict(?:s|ed|ing)?|limit(?:s|ed|ing)?|exclude[sd]?|excluding|split(?:s|ting)?|replace[sd]?|edit(?:s|ed|ing)?)`,
};

const NEGATION = /\b(?:don'?t|do not|does not|doesn'?t|never|without|no need to|must not|mustn'?t|should not|shouldn'?t|cannot|can'?t|not|avoid|nor)\b[\w\s,'-]{0,20}$/i;

function mentions(task: string, verb: string, noun: string): boolean {
  const patterns = [
    new RegExp(String.raw`\b${verb}${GAP}${noun}\b`, "gi"),
    new RegExp(String.raw`\b${noun}${GAP}(?:(?:should|must|can|may|to)\s+)?(?:be\s+|get\s+)?${verb}\b`, "gi"),
  ];
  for (const pattern of patterns) {
    for (const match of task.matchAll(pattern)) {
      const sentenceStart = Math.max(task.lastIndexOf(".", match.index), task.lastIndexOf("\n", match.index), 0);
      const before = task.slice(sentenceStart, match.index);
      if (!NEGATION.test(before) && !NEGATION.test(match[0].slice(0, match[0].search(new RegExp(verb, "i"))))) return true;
    }
  }
  return false;
}

const KIND_VERBS: Record<TamperKind, [keyof typeof VERBS, string][]> = {
  "deleted-test-file": [["remove", TEST_NOUN]],
  "removed-test": [["remove", TEST_NOUN], ["change", TEST_NOUN]],
  "removed-assertions": [["remove", TEST_NOUN], ["change", TEST_NOUN]],
  "weakened-assertion": [["change", TEST_NOUN]],
  "skipped-test": [["skip", TEST_NOUN]],
  "modified-snapshot": [["snapshot", SNAPSHOT_NOUN]],
  "narrowed-test-command": [["config", CONFIG_NOUN]],
  "modified-test-config": [["config", CONFIG_NOUN], ["skip", TEST_NOUN]],
};

/** Without `kind`: does the task ask for any test change at all? With it: for this kind of change? */
export function taskAllowsTestChanges(task: string, kind?: TamperKind): boolean {
  const kinds = kind ? [kind] : (Object.keys(KIND_VERBS) as TamperKind[]);
  return kinds.some((k) => KIND_VERBS[k].some(([verb, noun]) => mentions(task, VERBS[verb], noun)));
}
