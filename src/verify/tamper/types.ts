import type { ChangedFile } from "../../risk/types.js";

/**
 * What the tamper guard flags. The first six are the list; "removed-test" (a test case deleted
 * from a file that stays) and "modified-snapshot" (a stored snapshot rewritten) were added because they
 * are distinct moves an agent makes to turn a failing run green.
 */
export const TAMPER_KINDS = [
  "deleted-test-file",
  "removed-test",
  "skipped-test",
  "removed-assertions",
  "weakened-assertion",
  "modified-snapshot",
  "narrowed-test-command",
  "modified-test-config",
] as const;
export type TamperKind = (typeof TAMPER_KINDS)[number];

export interface TamperFinding {
  kind: TamperKind;
  /** The file the finding is about ("" for the test command itself). */
  path: string;
  /** One sentence for the PR body, with the offending line where there is one. */
  detail: string;
  /** The task explicitly asked for this kind of test change: flag it, but it does not veto success. */
  allowedByTask: boolean;
}

export interface DetectTamperingInput {
  changes: ChangedFile[];
  /** The test command the baseline ran. */
  baseTestCommand: string;
  /** The test command after the change, when the change altered it (e.g. in .github/codegen.yml). */
  newTestCommand?: string;
  /** The task text, to tell requested test changes from gaming. */
  task: string;
}
