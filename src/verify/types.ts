/** One failing test, as parsed from a test runner's output. */
export interface TestFailure {
  /** Full name, e.g. "math > adds numbers" or "tests/test_x.py::test_add". */
  name: string;
  file?: string;
  /** Assertion message / error, trimmed. */
  message: string;
  /** Relevant stack frames from the repository (not node_modules or the runner). */
  frames: string[];
}

/** "tap" covers node:test (TAP and its spec reporter) and other TAP producers. */
export type TestFramework = "jest" | "vitest" | "mocha" | "tap" | "pytest" | "go" | "unknown";

/** What a test command did. Parsed where the output allows it; the raw tail always. */
export interface TestReport {
  command: string;
  exitCode: number | null;
  /** exitCode === 0 and not timed out. */
  passed: boolean;
  timedOut: boolean;
  truncated: boolean;
  /** The command was killed for running out of memory (absent when unknown). */
  oomKilled?: boolean;
  durationMs: number;
  framework: TestFramework;
  /** Counts when the runner printed a summary. */
  counts: { passed: number; failed: number; skipped: number; total: number } | null;
  failures: TestFailure[];
  /** The last part of the combined output, ANSI stripped. */
  rawTail: string;
}
