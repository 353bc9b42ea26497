import { readFileSync } from "node:fs";
import type { CommandResult } from "../../src/sandbox/types.js";
import { parseTestOutput } from "../../src/verify/parse-test-output.js";
import type { TestReport } from "../../src/verify/types.js";

/** Captured runner output under test/fixtures/test-output (see its README and manifests). */
export const FIXTURES = new URL("../fixtures/test-output/", import.meta.url);

export interface FixtureCase {
  file: string;
  suite: string;
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  tool: string;
}

export const RUNNER_DIRS = ["jest", "vitest", "mocha", "node-test", "pytest", "go"] as const;

export function manifest(runner: string): FixtureCase[] {
  return (JSON.parse(readFileSync(new URL(`${runner}/manifest.json`, FIXTURES), "utf8")) as { cases: FixtureCase[] }).cases;
}

export function fixtureCase(id: string): FixtureCase {
  const [runner, file] = id.split("/");
  const found = manifest(runner).find((c) => c.file === file);
  if (!found) throw new Error(`no fixture ${id} in the manifest`);
  return found;
}

/** The CommandResult the sandbox would have returned for this capture (combined output as captured). */
export function fixtureResult(id: string, overrides: Partial<CommandResult> = {}): CommandResult {
  const c = fixtureCase(id);
  const output = readFileSync(new URL(id, FIXTURES));
  return {
    exitCode: c.exitCode,
    stdout: output,
    stderr: Buffer.alloc(0),
    output,
    timedOut: c.timedOut,
    truncated: false,
    oomKilled: false,
    durationMs: c.durationMs,
    ...overrides,
  };
}

export function fixtureReport(id: string, overrides: Partial<CommandResult> = {}): TestReport {
  return parseTestOutput(fixtureCase(id).command, fixtureResult(id, overrides));
}
