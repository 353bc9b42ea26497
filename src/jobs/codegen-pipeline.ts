import type { ContentBlock, MessageParam, ToolResultBlockParam, ToolUseBlock } from "@anthropic-ai/sdk/resources/messages";
import type { RepoConfig } from "../config/repo-config.js";
import { renderInstructions, type RepositoryInstructions } from "../context/instructions.js";
import { renderContextForPrompt, renderSelectionMarkdown } from "../context/render.js";
import { selectContext } from "../context/select-context.js";
import type { ContextSelection } from "../context/types.js";
import { CodegenError, ModelError } from "../errors/index.js";
import { archiveTree, diffBinary, snapshotCommit, stageAll, writeTree } from "../git/workspace.js";
import { runGit } from "../git/safe-git.js";
import type { Logger } from "../logging/logger.js";
import { codegenToolDefinitions, createWorkspaceTools, parseRunTestsInput, RUN_TESTS_TOOL_NAME, toolResultBlock } from "../model/tools/index.js";
import type { ModelClient } from "../model/types.js";
import type { ModelUsage } from "../model/types.js";
import { readChangedFiles } from "../risk/changed-files.js";
import { classifyChanges } from "../risk/classify.js";
import { decidePolicy, type RiskPolicyDecision, type ValidationPlan } from "../risk/policy.js";
import type { ChangedFile, RiskAssessment } from "../risk/types.js";
import { dependencyCacheKey, isDependencyManifest, touchesDependencyManifest } from "../sandbox/dependency-cache.js";
import { validatePatch, type PatchFile } from "../sandbox/patch-policy.js";
import type { SandboxLimits, SandboxProvider } from "../sandbox/types.js";
import { compareWithBaseline } from "../verify/compare-with-baseline.js";
import { failureSignature } from "../verify/failure-signature.js";
import { renderFailureReport } from "../verify/render-failure-report.js";
import { blockingFindings, detectTestTampering, type TamperFinding } from "../verify/tamper-guard.js";
import type { TestReport } from "../verify/types.js";
import { JobBudget, type StopReason } from "./budget.js";
import type { ProgressReporter } from "./progress.js";
import { CONTINUE_AFTER_MAX_TOKENS, NO_CHANGE_NUDGE, discussionText, failureMessage, selectionText, systemPrompt, taskMessage, type BranchChange, type CodeAnchor, type FrozenThread } from "./prompts.js";
import { SandboxSession, treeOf } from "./sandbox-session.js";
import { testCommandWithFilter } from "./test-filter.js";

export interface RepoCommands {
  test: string;
  install?: string;
  lint?: string;
  typecheck?: string;
}

export interface PipelineDeps {
  sandboxes: SandboxProvider;
  model: ModelClient;
  log: Logger;
  now?: () => number;
}

export interface PipelineInput {
  jobId: string;
  /** The host clone, checked out at `baseSha` on the work branch. */
  repoDir: string;
  baseSha: string;
  /** Commits and trees of the base branch, for context selection's co-change signal when `repoDir` is shallow. */
  historyDir?: string;
  /** The frozen, sanitised task text. */
  task: string;
  requestedBy?: string;
  thread?: FrozenThread;
  /** On a pull request (or a local branch, `codegen run --base`): the change already on the branch, as context. */
  branchChange?: BranchChange;
  /** On a pull request (or a local branch): the files it changes, which context selection ranks first. */
  focus?: string[];
  /** Why they rank first, as their reason says (default: changed by the pull request). */
  focusReason?: string;
  /** A command written on a line of the pull request's diff: the file and the hunk it points at. */
  anchor?: CodeAnchor;
  config: RepoConfig;
  /** The repository's instructions for agents (AGENTS.md or the like), read from the default branch. */
  instructions?: RepositoryInstructions;
  commands: RepoCommands;
  sandboxImage: string;
  contextBudget: number;
  signal: AbortSignal;
  reporter: ProgressReporter;
}

export interface PipelineResult {
  status: "succeeded" | "failed";
  /** Why it stopped (a sentence a user can act on). */
  reason: string;
  stop?: StopReason["kind"] | "model" | "patch" | "no-change" | "cancelled" | "error";
  iterations: number;
  usage: ModelUsage;
  costUsd: number;
  model: string;
  before: TestReport | null;
  after: TestReport | null;
  /** Tests that already failed on the base branch: reported, not blamed on the change. */
  preExistingFailures: string[];
  /** The model's own summary of its change. */
  summary: string;
  /** The validated patch (empty when nothing changed or it was rejected). */
  patch: string;
  files: PatchFile[];
  changedFiles: ChangedFile[];
  risk: RiskAssessment | null;
  context: ContextSelection | null;
  tamper: TamperFinding[];
  dependencyChange: boolean;
  /** False when policy forbade running the change (database migrations and schema files are never executed). */
  executed: boolean;
  lastFailure?: string;
  spent: string;
}

const MAX_TURNS_PER_ITERATION = 40;
const MAX_OUTPUT_TOKENS = 8_192;
const MAX_CONTINUATIONS = 2;
const FAILURE_REPORT_TOKENS = 2_500;

/**
 * generate → test → fix → verify, on a host clone, with untrusted code running only in the sandbox.
 * The only place that knows the order of the stages.
 */
export async function runCodegenPipeline(input: PipelineInput, deps: PipelineDeps): Promise<PipelineResult> {
  const log = deps.log.child({ jobId: input.jobId });
  const { config, commands, reporter } = input;
  const budget = new JobBudget(
    {
      maxIterations: config.limits.max_iterations,
      maxTokens: config.limits.max_tokens,
      maxCostUsd: config.limits.max_cost_usd,
      maxMs: config.limits.max_minutes * 60_000,
    },
    deps.now,
  );
  const limits: Partial<SandboxLimits> = {
    memoryBytes: config.sandbox.memory_mb * 1024 * 1024,
    cpus: config.sandbox.cpus,
    commandTimeoutMs: config.sandbox.timeout_seconds * 1000,
  };
  const baseTree = await treeOf(input.repoDir, input.baseSha);
  const state: {
    context: ContextSelection | null;
    before: TestReport | null;
    after: TestReport | null;
    summary: string;
    lastFailure?: string;
    tamper: TamperFinding[];
  } = { context: null, before: null, after: null, summary: "", tamper: [] };
  // Every sandbox this job starts is disposed in `finally`, including one still starting when the job ends.
  const sessions: SandboxSession[] = [];
  let sessionReady: Promise<SandboxSession> | undefined;
  let spares: SpareSessions | undefined;

  const disposeAll = async () => {
    const pending = sessionReady?.then((s) => s.dispose(), () => undefined);
    await Promise.allSettled([pending, ...sessions.map((s) => s.dispose()), spares?.dispose()]);
  };
  // A cancelled job stops now: disposing kills a running test command instead of waiting for its timeout.
  const onAbort = () => void disposeAll();
  input.signal.addEventListener("abort", onAbort, { once: true });

  const finish = async (status: PipelineResult["status"], reason: string, stop?: PipelineResult["stop"], executed = true): Promise<PipelineResult> => {
    const change = await collectChange(input, baseTree, log).catch((error: unknown) => ({ error }));
    const base = {
      iterations: budget.iterations,
      usage: budget.usage,
      costUsd: budget.costUsd,
      model: deps.model.model,
      before: state.before,
      after: state.after,
      summary: state.summary,
      context: state.context,
      tamper: state.tamper,
      lastFailure: state.lastFailure,
      spent: budget.describeSpent(),
      executed,
      preExistingFailures: state.before && !state.before.passed ? state.before.failures.map((f) => f.name) : [],
    };
    if ("error" in change) {
      const message = change.error instanceof CodegenError ? change.error.message : String(change.error);
      return { ...base, status: "failed", reason: `The change was rejected: ${message}`, stop: "patch", patch: "", files: [], changedFiles: [], risk: null, dependencyChange: false };
    }
    return { ...base, status, reason, stop, ...change };
  };

  try {
    // Dependencies and the baseline run in the background while context is selected and the model starts.
    reporter.stage("cloning", "done", `at \`${input.baseSha.slice(0, 7)}\``).catch(() => {});
    const main = startSession(input, deps, limits, log);
    sessionReady = main;
    main.catch(() => {}); // observed below; never an unhandled rejection
    // Verification needs a sandbox no test has run in. Start it now, idle, so it is warm when needed.
    spares = new SpareSessions(() =>
      main.then(() => startSession({ ...input, jobId: `${input.jobId}-verify` }, deps, limits, log)),
    );
    const baselineReady = main.then(async (session) => {
      // First in the session's queue, on the base tree as started: the model's edits are not synced yet.
      const report = await session.runTests(commands.test, { sync: false });
      state.before = report;
      log.info({ passed: report.passed, counts: report.counts }, "baseline tests");
      return report;
    });
    baselineReady.catch(() => {});

    await reporter.stage("context", "running");
    // The instructions come out of the same budget, which bounds what the prompt holds before the conversation;
    // the files keep at least half of it.
    const instructions = input.instructions;
    const context = await selectContext(
      {
        repoDir: input.repoDir,
        historyDir: input.historyDir,
        task: selectionText(input),
        budget: Math.max(Math.floor(input.contextBudget / 2), input.contextBudget - (instructions?.tokens ?? 0)),
        commit: input.baseSha,
        excluded: config.protected_paths,
        focus: input.focus,
        focusReason: input.focusReason,
        discussion: discussionText(input.thread),
      },
      log,
    );
    if (instructions) context.instructions = { path: instructions.path, tokens: instructions.tokens, truncated: instructions.truncated };
    state.context = context;
    await reporter.section("context", renderSelectionMarkdown(context));
    await reporter.stage("context", "done", `${context.included.length} files`);

    const tools = createWorkspaceTools({
      root: input.repoDir,
      protectedPaths: config.protected_paths,
      allowWorkflowChanges: config.allow_workflow_changes,
    });
    const system = systemPrompt({
      testCommand: commands.test,
      protectedPaths: config.protected_paths,
      allowWorkflowChanges: config.allow_workflow_changes,
    });
    const contextText = (instructions ? renderInstructions(instructions) + "\n" : "") + renderContextForPrompt(context);
    const messages: MessageParam[] = [
      { role: "user", content: taskMessage({ task: input.task, requestedBy: input.requestedBy, thread: input.thread, branchChange: input.branchChange, anchor: input.anchor }) },
    ];
    const toolDefinitions = codegenToolDefinitions();

    const runModelTests = async (filter: string | undefined): Promise<string> => {
      const change = await assessChange(input);
      if (!change.decision.validation.mayExecuteChange) return NOT_EXECUTED_TOOL_MESSAGE;
      const session = await main;
      const command = testCommandWithFilter(commands.test, filter);
      const report = await session.runTests(command);
      const head = report.passed ? `Tests passed (\`${command}\`).` : `Tests failed (\`${command}\`, ${describeReportOutcome(report)}).`;
      return report.passed ? head : `${head}\n\n${renderFailureReport(report, { maxTokens: FAILURE_REPORT_TOKENS })}`;
    };

    for (;;) {
      const stop = budget.iterationStop();
      if (stop) return finish("failed", capitalise(`${stop.message}.`), stop.kind);
      if (input.signal.aborted) return finish("failed", "The job was cancelled.", "cancelled");
      const iteration = budget.startIteration();
      const iterationLabel = `iteration ${iteration} of ${config.limits.max_iterations}`;
      await reporter.stage("generating", "running", iterationLabel);

      // One iteration: model turns (with tool calls) until the model ends its turn.
      let nudged = false;
      let continuations = 0;
      let turns = 0;
      for (;;) {
        const spending = budget.spendingStop();
        if (spending) return finish("failed", capitalise(`${spending.message}.`), spending.kind);
        if (++turns > MAX_TURNS_PER_ITERATION) {
          messages.push({ role: "user", content: "You have used many tool calls in this iteration. Finish the change now and end your turn with a summary." });
          if (turns > MAX_TURNS_PER_ITERATION + 3) break;
        }
        let turn;
        try {
          turn = await deps.model.turn(
            { system, context: contextText, tools: toolDefinitions, messages, maxTokens: MAX_OUTPUT_TOKENS },
            { signal: input.signal },
          );
        } catch (error) {
          if (input.signal.aborted) return finish("failed", "The job was cancelled.", "cancelled");
          const message = error instanceof ModelError ? error.userMessage : `The model call failed: ${(error as Error).message}`;
          log.warn({ err: error }, "model turn failed");
          return finish("failed", message, "model");
        }
        budget.recordTurn(turn.usage, turn.costUsd);
        messages.push({ role: "assistant", content: turn.content as MessageParam["content"] });
        const toolUses = turn.content.filter((block): block is ToolUseBlock => block.type === "tool_use");

        if (toolUses.length > 0) {
          const cutOff = turn.stopReason === "max_tokens";
          const results: ToolResultBlockParam[] = [];
          for (const use of toolUses) {
            if (cutOff && use === toolUses[toolUses.length - 1]) {
              results.push(toolResultBlock(use.id, { content: "This tool call was cut off by the output limit. Make it again, smaller.", isError: true }));
              continue;
            }
            results.push(toolResultBlock(use.id, await executeTool(use, tools, runModelTests)));
          }
          messages.push({ role: "user", content: results });
          continue;
        }
        if (turn.stopReason === "max_tokens" || turn.stopReason === "pause_turn") {
          if (++continuations > MAX_CONTINUATIONS) {
            return finish("failed", "The model's answers kept hitting the output limit without finishing the change.", "model");
          }
          messages.push({ role: "user", content: CONTINUE_AFTER_MAX_TOKENS });
          continue;
        }
        if (turn.stopReason === "refusal") {
          return finish("failed", "The model declined this task (it answered with a refusal). Rephrase the task or do it by hand.", "model");
        }
        state.summary = textOf(turn.content) || state.summary;
        if (!(await hasChanges(input.repoDir, baseTree))) {
          if (!nudged) {
            nudged = true;
            messages.push({ role: "user", content: NO_CHANGE_NUDGE });
            continue;
          }
          return finish("failed", "The model did not change any file. Give the task more detail (which files or behaviour) and try again.", "no-change");
        }
        break;
      }

      await reporter.stage("generating", "done", iterationLabel);
      const change = await assessChange(input);
      state.tamper = detectTestTampering({ changes: change.files, baseTestCommand: commands.test, task: input.task });
      const tamper = blockingFindings(state.tamper);
      if (!change.decision.validation.mayExecuteChange && tamper.length === 0) {
        // Policy: migrations and schema files are never executed, not even by the test suite in a sandbox.
        await reporter.stage("testing", "skipped", `not run: a ${change.risk.tier}-tier change is never executed`);
        await reporter.stage("verifying", "skipped", "a human must review it");
        return finish(
          "succeeded",
          `The change is ${change.risk.tier} risk (${topReason(change.risk)}), so codegen did not execute it; it goes to a human as a draft.`,
          undefined,
          false,
        );
      }

      // The harness runs the tests itself, whatever the model claimed.
      await reporter.stage("testing", "running", iterationLabel);
      const session = await main;
      const baseline = await baselineReady;
      const after = await session.runTests(commands.test);
      state.after = after;
      const comparison = compareWithBaseline(baseline, after);
      // The comparison, not the exit code alone: `… || true` exits 0 while the output shows failures.
      const testsOk = comparison.verdict === "passed" || comparison.verdict === "no-new-failures";

      if (testsOk && tamper.length === 0) {
        await reporter.stage("testing", "done", describeReportOutcome(after));
        await reporter.stage("verifying", "running");
        const fresh = await spares.take();
        sessions.push(fresh);
        const verification = await verifyInFreshSandbox(input, fresh, baseline, change.decision.validation);
        if (verification.ok) {
          await reporter.stage("verifying", "done", verification.summary);
          return finish("succeeded", "The tests pass and the change is verified.");
        }
        await reporter.stage("verifying", "failed", verification.summary);
        state.lastFailure = verification.feedback;
        budget.recordFailure(`verify:${verification.summary}`);
        messages.push({ role: "user", content: verification.feedback });
        continue;
      }

      let feedback: string;
      if (!testsOk) {
        const report = renderFailureReport(after, { maxTokens: FAILURE_REPORT_TOKENS });
        state.lastFailure = report;
        budget.recordFailure(failureSignature(after));
        feedback = failureMessage({ iteration, maxIterations: config.limits.max_iterations, testCommand: commands.test, report });
        await reporter.stage("testing", "failed", `${describeReportOutcome(after)} (${iterationLabel})`);
      } else {
        const lines = tamper.map((f) => `- ${f.path}: ${f.detail}`).join("\n");
        state.lastFailure = `The change weakens or removes existing tests:\n${lines}`;
        budget.recordFailure(`tamper:${tamper.map((f) => `${f.kind}:${f.path}`).join(",")}`);
        feedback = [
          "The tests pass, but your change deletes, skips or weakens existing tests, which is not allowed for this task:",
          lines,
          "Restore those tests and make the code satisfy them. End your turn with a summary when done.",
        ].join("\n");
        await reporter.stage("testing", "failed", `tests were weakened (${iterationLabel})`);
      }
      messages.push({ role: "user", content: feedback });
    }
  } catch (error) {
    if (input.signal.aborted) return finish("failed", "The job was cancelled.", "cancelled");
    if (error instanceof CodegenError) {
      log.warn({ err: error }, "job stopped");
      return finish("failed", error.userMessage, "error");
    }
    throw error;
  } finally {
    input.signal.removeEventListener("abort", onAbort);
    await disposeAll();
  }
}

/**
 * One idle sandbox kept ready for verification: started at the base tree, never used before `take()`,
 * replaced in the background once taken (a failed verification means another one later).
 */
class SpareSessions {
  readonly #start: () => Promise<SandboxSession>;
  #next: Promise<SandboxSession> | null = null;

  constructor(start: () => Promise<SandboxSession>) {
    this.#start = start;
    this.#refill();
  }

  async take(): Promise<SandboxSession> {
    const session = await (this.#next ?? this.#start());
    this.#refill();
    return session;
  }

  async dispose(): Promise<void> {
    const next = this.#next;
    this.#next = null;
    if (next) await next.then((s) => s.dispose(), () => undefined);
  }

  #refill(): void {
    this.#next = this.#start();
    this.#next.catch(() => {}); // a failed spare surfaces when it is taken
  }
}

async function startSession(input: PipelineInput, deps: PipelineDeps, limits: Partial<SandboxLimits>, log: Logger): Promise<SandboxSession> {
  let image = input.sandboxImage;
  if (input.commands.install) {
    const files = await dependencyFiles(input.repoDir, input.baseSha);
    const cacheKey = dependencyCacheKey(files, input.commands.install, input.sandboxImage);
    const workspace = await archiveTree(input.repoDir, input.baseSha);
    const prepared = await deps.sandboxes.prepare({
      jobId: `${input.jobId}-prep`,
      baseImage: input.sandboxImage,
      workspace,
      installCommand: input.commands.install,
      cacheKey,
      limits,
    });
    // A failed install throws DependencyInstallError, whose message names the install command to fix.
    log.info({ image: prepared.image, cached: prepared.cached }, "dependency image ready");
    image = prepared.image;
  }
  return SandboxSession.start({ provider: deps.sandboxes, jobId: input.jobId, image, repoDir: input.repoDir, treeish: input.baseSha, limits, log });
}

/** Manifests and lockfiles at the base commit: the dependency cache key. */
async function dependencyFiles(repoDir: string, sha: string): Promise<{ path: string; content: Buffer }[]> {
  const listing = (await runGit(["ls-tree", "-r", "-z", "--name-only", sha], { cwd: repoDir })).toString("utf8");
  const paths = listing.split("\0").filter((p) => p && isDependencyManifest(p));
  return Promise.all(
    paths.map(async (path) => ({ path, content: await runGit(["cat-file", "blob", `${sha}:${path}`], { cwd: repoDir }) })),
  );
}

async function executeTool(
  use: ToolUseBlock,
  tools: ReturnType<typeof createWorkspaceTools>,
  runModelTests: (filter: string | undefined) => Promise<string>,
): Promise<{ content: string; isError: boolean }> {
  if (use.name === RUN_TESTS_TOOL_NAME) {
    const parsed = parseRunTestsInput(use.input);
    if (!parsed.ok) return { content: parsed.reason, isError: true };
    return { content: await runModelTests(parsed.value.filter), isError: false };
  }
  const result = await tools.execute(use.name, use.input);
  return result ?? { content: `Unknown tool \`${use.name}\`. Use str_replace_based_edit_tool, search or run_tests.`, isError: true };
}

async function hasChanges(repoDir: string, baseTree: string): Promise<boolean> {
  await stageAll(repoDir);
  return (await writeTree(repoDir)) !== baseTree;
}

/** The change as it stands: its files (with patches), risk tier and what the policy lets codegen run. */
async function assessChange(input: PipelineInput): Promise<{ files: ChangedFile[]; risk: RiskAssessment; decision: RiskPolicyDecision }> {
  const head = await snapshotCommit(input.repoDir, input.baseSha);
  const { files } = await readChangedFiles(input.repoDir, { base: input.baseSha, head });
  const risk = classifyChanges(files, input.config);
  return { files, risk, decision: decidePolicy({ tier: risk.tier, config: input.config, verified: true }) };
}

const NOT_EXECUTED_TOOL_MESSAGE =
  "run_tests is not available for this change: it touches database migrations or schema files, which codegen never executes. Finish the change carefully and end your turn; a human will review it.";

function topReason(risk: RiskAssessment): string {
  const file = risk.files.find((f) => f.tier === risk.tier);
  return file ? `${file.path}: ${file.reasons[0] ?? "matched"}` : "see the risk table";
}

interface Verification {
  ok: boolean;
  summary: string;
  feedback: string;
}

/**
 * A final run in a fresh container (no earlier run touched it): the full test command plus the
 * configured lint and type-check, on the change as it stands.
 */
async function verifyInFreshSandbox(
  input: PipelineInput,
  fresh: SandboxSession,
  baseline: TestReport,
  validation: ValidationPlan,
): Promise<Verification> {
  const checks: { name: string; command: string }[] = [{ name: "tests", command: input.commands.test }];
  if (input.commands.lint) checks.push({ name: "lint", command: input.commands.lint });
  if (input.commands.typecheck) checks.push({ name: "type-check", command: input.commands.typecheck });
  // Tier-specific validation from the policy: sample data (low-medium), plan/dry-run commands (high).
  if (validation.sampleDataCommand) checks.push({ name: "sample data", command: validation.sampleDataCommand });
  for (const command of validation.planCommands) checks.push({ name: "plan", command });
  const passed: string[] = [];
  for (const check of checks) {
    const report = await fresh.runTests(check.command);
    const verdict = check.name === "tests" ? compareWithBaseline(baseline, report).verdict : null;
    const ok = verdict ? verdict === "passed" || verdict === "no-new-failures" : report.passed;
    if (!ok) {
      const details = renderFailureReport(report, { maxTokens: FAILURE_REPORT_TOKENS });
      return {
        ok: false,
        summary: `${check.name} failed in a fresh sandbox`,
        feedback: [
          `Verification in a fresh sandbox failed: \`${check.command}\` (${check.name}) did not pass.`,
          check.name === "tests" ? "The tests passed in your working sandbox, so they may depend on state left over from earlier runs." : "",
          details,
          "Fix this and end your turn with a summary.",
        ]
          .filter(Boolean)
          .join("\n\n"),
      };
    }
    passed.push(check.name);
  }
  return { ok: true, summary: `${passed.join(", ")} pass in a fresh sandbox`, feedback: "" };
}

/** The final change: validated patch, changed files with content, risk, dependency flag. */
async function collectChange(input: PipelineInput, baseTree: string, log: Logger) {
  await stageAll(input.repoDir);
  const tree = await writeTree(input.repoDir);
  if (tree === baseTree) {
    return { patch: "", files: [] as PatchFile[], changedFiles: [] as ChangedFile[], risk: null, dependencyChange: false };
  }
  const patch = await diffBinary(input.repoDir, input.baseSha, tree);
  const files = validatePatch(patch, {
    allowWorkflows: input.config.allow_workflow_changes,
    protectedPaths: input.config.protected_paths,
  });
  const head = await snapshotCommit(input.repoDir, input.baseSha);
  const { files: changedFiles } = await readChangedFiles(input.repoDir, { base: input.baseSha, head });
  const risk = classifyChanges(changedFiles, input.config);
  const dependencyChange = touchesDependencyManifest(changedFiles.map((f) => f.path));
  log.info({ files: files.length, tier: risk.tier, dependencyChange }, "change collected");
  return { patch, files, changedFiles, risk, dependencyChange };
}

function describeReportOutcome(report: TestReport): string {
  if (report.timedOut) return `timed out after ${Math.round(report.durationMs / 1000)} s`;
  if (report.truncated) return "output truncated at the cap; the command was stopped";
  if (report.exitCode === null) return "killed";
  const c = report.counts;
  if (c) return `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`;
  return report.passed ? "passed" : `exit code ${report.exitCode}`;
}

function textOf(content: ContentBlock[]): string {
  return content
    .filter((b): b is Extract<ContentBlock, { type: "text" }> => b.type === "text")
    .map((b) => b.text)
    .join("\n")
    .trim();
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

