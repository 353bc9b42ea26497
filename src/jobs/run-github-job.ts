import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { protectedPathMatcher } from "../config/protected-paths.js";
import type { RepoConfig } from "../config/repo-config.js";
import type { RepositoryInstructions } from "../context/instructions.js";
import { CodegenError } from "../errors/index.js";
import type { Forge, PullRequestInfo, RepoRef } from "../github/forge.js";
import { deliverPullRequest } from "../github/deliver-pull-request.js";
import type { StatusCommentReporter } from "../github/status-reporter.js";
import { cloneHistory, cloneRepository, createBranch } from "../git/workspace.js";
import type { Logger } from "../logging/logger.js";
import type { ModelClient } from "../model/types.js";
import type { SandboxProvider } from "../sandbox/types.js";
import { runCodegenPipeline } from "./codegen-pipeline.js";
import type { CodeAnchor, FrozenThread } from "./prompts.js";
import { BRANCH_DIFF_CHARS, focusPaths, renderPullRequestDiff, type PullRequestChange } from "./pull-request-change.js";
import { resolveCommands } from "./resolve-commands.js";

export interface GitHubJob {
  id: string;
  repo: RepoRef;
  /** Issue or pull request the command was given on. */
  issueNumber: number;
  requestedBy: string;
  task: string;
  thread: FrozenThread;
  config: RepoConfig;
  /** AGENTS.md or the like, read from the default branch with the config. */
  instructions?: RepositoryInstructions;
  /** Branch to clone and build on. */
  baseBranch: string;
  /** New branch to push (ignored for follow-ups, which push to the pull request's branch). */
  branch: string;
  /** A follow-up continues this codegen pull request on its own branch. */
  followUp?: PullRequestInfo;
  /** When the command was given on a pull request (codegen's or a person's); its files are listed by the job. */
  pullRequest?: { number: number; baseRef: string };
  /** When the command was a comment on a line of the pull request's diff. */
  anchor?: CodeAnchor;
  /** Whether the pull request should say it resolves the issue. */
  linksIssue: boolean;
  reporter: StatusCommentReporter;
}

export interface GitHubJobDeps {
  forge: Forge;
  sandboxes: SandboxProvider;
  createModel(model: string): ModelClient;
  defaultModel: string;
  sandboxImage: string;
  contextBudget: number;
  workDir?: string;
  appLogin: string;
  log: Logger;
}

/** Run one `/codegen` job end to end: clone, pipeline, deliver. Never throws: failures end up in the status comment. */
export async function runGitHubJob(job: GitHubJob, deps: GitHubJobDeps, signal: AbortSignal): Promise<void> {
  const log = deps.log.child({ jobId: job.id, repo: `${job.repo.owner}/${job.repo.repo}`, issue: job.issueNumber });
  const { reporter } = job;
  const { forge } = deps;
  const startedAt = Date.now();
  let dir: string | undefined;
  try {
    await reporter.stage("cloning", "running");
    const repository = await forge.getRepository(job.repo);
    const base = job.followUp ? job.followUp.headRef : job.baseBranch;
    dir = await mkdtemp(join(deps.workDir ?? tmpdir(), `codegen-${job.id}-`));
    const token = await forge.installationToken();
    // Optional and concurrent: without it, context selection just loses its co-change, past-commits and named-commits signals.
    const historyClone = cloneHistory({ cloneUrl: repository.cloneUrl, branch: base, dir: join(dir, "history.git"), token }).catch((error: unknown) => {
      log.warn({ err: (error as Error).message }, "history not fetched; context selection goes on without co-change, past commits and named commits");
      return undefined;
    });
    // Wait for the history clone even when the work clone fails, so the clean-up never races a running git.
    const clone = await cloneRepository({ cloneUrl: repository.cloneUrl, branch: base, dir: join(dir, "repo"), token }).catch(async (error: unknown) => {
      await historyClone;
      throw error;
    });
    const history = await historyClone;
    log.info({ baseSha: clone.headSha, branch: base, history: history !== undefined }, "cloned");

    const commands = await resolveCommands(clone.dir, job.config);
    if (!commands.test) {
      await reporter.finish({
        kind: "refused",
        reason: "I could not find a test command, and every change must pass the repository's tests. Add `test: <command>` to `.github/codegen.yml` on the default branch.",
      });
      return;
    }
    if (!job.followUp) await createBranch(clone.dir, job.branch);

    // Listed here, not in the webhook handler: a pull request of thousands of files takes dozens of requests, and
    // the list then matches the head just cloned.
    const pull: PullRequestChange | undefined = job.pullRequest && { ...job.pullRequest, files: await forge.listPullRequestFiles(job.repo, job.pullRequest.number) };
    const branchChange = pull && {
      followUp: job.followUp !== undefined,
      pullNumber: pull.number,
      baseRef: pull.baseRef,
      diff: renderPullRequestDiff(pull, BRANCH_DIFF_CHARS, protectedPathMatcher(job.config.protected_paths)),
    };

    const model = deps.createModel(job.config.model ?? deps.defaultModel);
    const result = await runCodegenPipeline(
      {
        jobId: job.id,
        repoDir: clone.dir,
        baseSha: clone.headSha,
        historyDir: history?.dir,
        task: job.task,
        requestedBy: job.requestedBy,
        thread: job.thread,
        branchChange,
        focus: pull && focusPaths(pull),
        anchor: job.anchor,
        config: job.config,
        instructions: job.instructions,
        commands: { ...commands, test: commands.test },
        sandboxImage: job.config.sandbox.image ?? deps.sandboxImage,
        contextBudget: deps.contextBudget,
        signal,
        reporter,
      },
      { sandboxes: deps.sandboxes, model, log },
    );
    log.info({ status: result.status, iterations: result.iterations, usage: result.usage, costUsd: result.costUsd, stop: result.stop }, "pipeline finished");

    const pushDraft = result.status === "failed" && job.config.on_give_up === "draft" && result.patch !== "" && result.risk !== null && result.stop !== "cancelled";
    if (result.status === "failed" && !pushDraft) {
      await reporter.finish({ kind: "failed", reason: result.reason, lastFailure: result.lastFailure, spent: result.spent });
      return;
    }

    await reporter.stage("delivering", "running");
    const delivery = await deliverPullRequest(
      {
        repo: job.repo,
        repoDir: clone.dir,
        cloneUrl: repository.cloneUrl,
        branch: job.followUp ? job.followUp.headRef : job.branch,
        baseBranch: job.followUp ? job.followUp.baseRef : job.baseBranch,
        issueNumber: job.linksIssue ? job.issueNumber : undefined,
        task: job.task,
        jobId: job.id,
        config: job.config,
        result,
        existingPull: job.followUp,
        appLogin: deps.appLogin,
      },
      forge,
      log,
    );
    await reporter.stage("delivering", "done", `#${delivery.pull.number}${delivery.draft ? " (draft)" : ""}`);
    log.info({ pull: delivery.pull.number, tier: result.risk?.tier, ms: Date.now() - startedAt }, "delivered");
    if (result.status === "succeeded") {
      const verb = job.followUp ? "Updated" : "Opened";
      await reporter.finish({ kind: "succeeded", summary: `${verb} pull request #${delivery.pull.number} (risk: ${result.risk?.tier ?? "unknown"}, ${result.iterations} iteration${result.iterations === 1 ? "" : "s"}):`, url: delivery.pull.htmlUrl });
    } else {
      await reporter.finish({
        kind: "failed",
        reason: `${result.reason} As configured (\`on_give_up: draft\`), the work was pushed as draft pull request #${delivery.pull.number}, which does not pass: ${delivery.pull.htmlUrl}`,
        lastFailure: result.lastFailure,
        spent: result.spent,
      });
    }
  } catch (error) {
    const reason = error instanceof CodegenError ? error.userMessage : "An internal error stopped the job; the operator can find it in the logs under this job id.";
    log.error({ err: error }, "job failed");
    await reporter.finish({ kind: "failed", reason }).catch(() => {});
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch((error: unknown) => log.warn({ err: error }, "could not remove the job directory"));
  }
}
