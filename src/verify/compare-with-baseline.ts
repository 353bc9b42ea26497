import type { TestFailure, TestReport } from "./types.js";

/**
 * Baseline comparison: the tests that failed on the untouched checkout are pre-existing and are reported, not
 * blamed on the change. Success means no failure that was not already there.
 *
 * - `passed`: the command passed after the change.
 * - `no-new-failures`: it still fails, but only with tests that failed before the change too.
 * - `new-failures`: something fails that did not fail before (or the run broke where the baseline did not).
 * - `inconclusive`: the outputs do not allow telling new failures from old ones; `notes` say why.
 */
export type BaselineVerdict = "passed" | "no-new-failures" | "new-failures" | "inconclusive";

export interface BaselineComparison {
  verdict: BaselineVerdict;
  /** "tests" when judged test by test; "exit-code" when a side's output could not be parsed. */
  basis: "tests" | "exit-code";
  /** Failing after the change, not before. */
  newFailures: TestFailure[];
  /** Failing before the change, not after (as far as the after run shows). */
  fixed: TestFailure[];
  /** Failing before and after (the after run's entries). */
  stillFailing: TestFailure[];
  /** Everything that failed on the untouched checkout. */
  preExisting: TestFailure[];
  /** Failing after the change where the baseline cannot say whether they failed before. */
  unattributed: TestFailure[];
  /** Plain sentences for the PR body and the logs. */
  notes: string[];
}

/** The identity of a failing test across two runs of the same command. */
export function failureKey(failure: Pick<TestFailure, "name" | "file">): string {
  const name = failure.name.replace(/\s+/g, " ").trim();
  return failure.file ? `${failure.file}::${name}` : name;
}

/** The run finished on its own: not killed for time, output size or memory. */
export function isCompleteRun(report: TestReport): boolean {
  return !report.timedOut && !report.truncated && !report.oomKilled && report.exitCode !== null;
}

/** Whether the report explains its outcome: it passed, or the failing tests were found in the output. */
export function isParsedReport(report: TestReport): boolean {
  return report.failures.length > 0 || report.passed;
}

/** Failures that stand for a whole file or package that could not run (syntax error, build failure). */
const FILE_LEVEL_NAMES = new Set(["Test suite failed to run", "Exception during run", "No tests found"]);

function fileLevelScope(failure: TestFailure): { file?: string; namePrefix?: string } | null {
  if (FILE_LEVEL_NAMES.has(failure.name) || (failure.file !== undefined && failure.name === failure.file)) {
    return { file: failure.file };
  }
  const build = /^(\S+) \[(build|setup) failed\]$/.exec(failure.name);
  return build ? { namePrefix: `${build[1]}.` } : null;
}

/**
 * Baseline failures the after run cannot speak for: their file or package failed to load, or the whole run
 * stopped before running tests. They are neither fixed nor known to still fail.
 */
function maskedFailures(baseline: TestFailure[], after: TestReport): Set<TestFailure> {
  const scopes = after.failures.map(fileLevelScope).filter((s): s is NonNullable<typeof s> => s !== null);
  const masked = new Set<TestFailure>();
  if (scopes.length === 0) return masked;
  // pytest and mocha stop the whole run on a file that fails to load; jest, vitest and node:test go on.
  const ranNoTests =
    after.counts === null || (after.counts.passed === 0 && after.counts.skipped === 0 && after.counts.failed <= scopes.length);
  for (const failure of baseline) {
    const covered = scopes.some(
      (scope) =>
        ranNoTests ||
        (scope.file === undefined && scope.namePrefix === undefined) ||
        (scope.file !== undefined && scope.file === failure.file) ||
        (scope.namePrefix !== undefined && failure.name.startsWith(scope.namePrefix)),
    );
    if (covered) masked.add(failure);
  }
  return masked;
}

function describeRun(report: TestReport): string {
  if (report.timedOut) return "timed out";
  if (report.oomKilled) return "ran out of memory";
  if (report.truncated) return "was cut off at the output limit";
  if (report.exitCode === null) return "was killed";
  return `exited with code ${report.exitCode}`;
}

function runFailure(report: TestReport): TestFailure {
  return {
    name: `(test command ${describeRun(report)})`,
    message: `${report.command} ${describeRun(report)}; no failing test could be read from its output.`,
    frames: [],
  };
}

export function compareWithBaseline(baseline: TestReport, after: TestReport): BaselineComparison {
  const notes: string[] = [];
  const preExisting = [...baseline.failures];
  const baselineKeys = new Set(baseline.failures.map(failureKey));
  const afterKeys = new Set(after.failures.map(failureKey));
  const result = (
    verdict: BaselineVerdict,
    basis: BaselineComparison["basis"],
    parts: Partial<Pick<BaselineComparison, "newFailures" | "fixed" | "stillFailing" | "unattributed">>,
  ): BaselineComparison => ({
    verdict,
    basis,
    newFailures: parts.newFailures ?? [],
    fixed: parts.fixed ?? [],
    stillFailing: parts.stillFailing ?? [],
    preExisting,
    unattributed: parts.unattributed ?? [],
    notes,
  });

  if (baseline.command !== after.command) {
    notes.push(`The baseline ran \`${baseline.command}\` and the change ran \`${after.command}\`; the results may not be comparable.`);
  }
  if (baseline.counts && after.counts && after.counts.total < baseline.counts.total) {
    notes.push(`Fewer tests ran after the change (${baseline.counts.total} before, ${after.counts.total} after).`);
  }
  if (!isParsedReport(baseline)) {
    notes.push(`The baseline run ${describeRun(baseline)} and its output could not be parsed into failing tests; judging by exit codes.`);
  } else if (!isCompleteRun(baseline)) {
    notes.push(`The baseline run ${describeRun(baseline)}, so it may not list every test that already failed.`);
  }
  if (baseline.failures.length > 0) {
    notes.push(`${baseline.failures.length} test(s) already failed before the change.`);
  }

  const masked = maskedFailures(
    baseline.failures.filter((f) => !afterKeys.has(failureKey(f))),
    after,
  );
  if (masked.size > 0) {
    notes.push(`${masked.size} test(s) that failed before the change could not run after it (their file or package failed to load).`);
  }
  const fixed = baseline.failures.filter((f) => !afterKeys.has(failureKey(f)) && !masked.has(f));
  const afterFailing = !after.passed || after.failures.length > 0;

  if (!afterFailing) {
    return result("passed", after.framework !== "unknown" && isParsedReport(baseline) ? "tests" : "exit-code", { fixed });
  }

  if (!isParsedReport(after)) {
    notes.push(`After the change the test command ${describeRun(after)} and its output could not be parsed into failing tests.`);
    // A finished baseline that passed, or whose failures could be read, makes an unreadable failure new.
    if (isParsedReport(baseline) && isCompleteRun(baseline)) {
      return result("new-failures", "exit-code", { newFailures: [runFailure(after)] });
    }
    return result("inconclusive", "exit-code", { unattributed: [runFailure(after)] });
  }

  const added = after.failures.filter((f) => !baselineKeys.has(failureKey(f)));
  const stillFailing = after.failures.filter((f) => baselineKeys.has(failureKey(f)));
  const killed = !isCompleteRun(after) && isCompleteRun(baseline) ? [runFailure(after)] : [];
  if (killed.length > 0) notes.push(`After the change the test command ${describeRun(after)}; the baseline run finished.`);
  if (!isCompleteRun(after) && fixed.length > 0) {
    notes.push("The run after the change did not finish, so tests missing from its failures are not known to pass.");
  }

  if (!isParsedReport(baseline)) {
    if (baseline.passed) {
      return result(added.length + killed.length > 0 ? "new-failures" : "no-new-failures", "exit-code", {
        newFailures: [...added, ...killed],
      });
    }
    return result("inconclusive", "exit-code", { unattributed: [...added, ...killed] });
  }

  if (!isCompleteRun(baseline)) {
    // Tests the cut-short baseline never reached may have failed already; only a finished baseline can say.
    if (added.length > 0) return result("inconclusive", "tests", { fixed: [], stillFailing, unattributed: added });
    return result(killed.length > 0 ? "new-failures" : "no-new-failures", "tests", { newFailures: killed, stillFailing });
  }

  const newFailures = [...added, ...killed];
  return result(newFailures.length > 0 ? "new-failures" : "no-new-failures", "tests", {
    newFailures,
    fixed: isCompleteRun(after) ? fixed : [],
    stillFailing,
  });
}
