import type { TestFailure, TestFramework, TestReport } from "../types.js";

export interface ParseContext {
  command: string;
  /** Where the repository sits in the sandbox; frames under it become repository-relative. */
  workspaceRoot: string;
}

export interface ParsedTestOutput {
  failures: TestFailure[];
  counts: TestReport["counts"];
}

/** One test runner's output format. Parsers are pure: text in, failures and counts out. */
export interface TestOutputParser {
  readonly framework: Exclude<TestFramework, "unknown">;
  /** Does the command line invoke this runner directly (e.g. `npx jest`, `python -m pytest`)? */
  matchesCommand(command: string): boolean;
  /** How strongly the (ANSI-stripped) output looks like this runner's: 0 (not at all) to 1 (certain). */
  outputScore(text: string): number;
  parse(text: string, context: ParseContext): ParsedTestOutput;
}

/** Splits a command line into its `&&`/`;`/`|` segments and checks whether one runs `pattern`. */
export function commandRuns(command: string, pattern: RegExp): boolean {
  return command.split(/&&|\|\||;|\|/).some((segment) => pattern.test(segment.trim()));
}

export type Counts = NonNullable<TestReport["counts"]>;

export function emptyCounts(): Counts {
  return { passed: 0, failed: 0, skipped: 0, total: 0 };
}

/** Keeps the first failure per (file, name) pair: some runners print a failure twice (e.g. a summary section). */
export function dedupeFailures(failures: TestFailure[]): TestFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = `${f.file ?? ""}\0${f.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
