import type { CommandResult } from "../sandbox/types.js";
import { commandText, defaultTailLimits, tailOf, type TailLimits } from "./output-text.js";
import { selectParser } from "./parsers/index.js";
import { DEFAULT_WORKSPACE_ROOT } from "./stack-frames.js";
import type { TestReport } from "./types.js";

export interface ParseTestOutputOptions {
  /** Where the repository is mounted in the sandbox (default /workspace). */
  workspaceRoot?: string;
  /** How much of the output to keep as `rawTail` (default 80 lines, 8,000 bytes). */
  tail?: Partial<TailLimits>;
}

/**
 * Turns a test command's result into a `TestReport`: picks the runner from the command and the output,
 * extracts failing tests with their messages and repository frames, and the runner's counts when it printed
 * them. The raw tail is always kept, so nothing is lost when the format is unknown.
 */
export function parseTestOutput(command: string, result: CommandResult, options: ParseTestOutputOptions = {}): TestReport {
  const text = commandText(result);
  const parser = selectParser(command, text);
  const parsed = parser?.parse(text, { command, workspaceRoot: options.workspaceRoot ?? DEFAULT_WORKSPACE_ROOT });
  return {
    command,
    exitCode: result.exitCode,
    passed: result.exitCode === 0 && !result.timedOut,
    timedOut: result.timedOut,
    truncated: result.truncated,
    oomKilled: result.oomKilled,
    durationMs: result.durationMs,
    framework: parser?.framework ?? "unknown",
    counts: parsed?.counts ?? null,
    failures: parsed?.failures ?? [],
    rawTail: tailOf(text, { ...defaultTailLimits, ...options.tail }),
  };
}
