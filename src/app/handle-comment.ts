import { randomBytes } from "node:crypto";
import { HELP_TEXT, parseCommand, type ParsedCommand } from "../commands/parse-command.js";
import { parseRepoConfig, REPO_CONFIG_PATH } from "../config/load-repo-config.js";
import type { RepoConfig } from "../config/repo-config.js";
import { loadInstructions, type RepositoryInstructions } from "../context/instructions.js";
import { CodegenError, ConfigurationError } from "../errors/index.js";
import { branchNameFor, branchPrefixFor } from "../github/branch-name.js";
import type { Forge, PullRequestInfo, RepoRef } from "../github/forge.js";
import { renderStatusComment } from "../github/status-comment.js";
import { StatusCommentReporter } from "../github/status-reporter.js";
import type { JobQueue } from "../jobs/job-queue.js";
import { newProgress } from "../jobs/progress.js";
import type { CodeAnchor } from "../jobs/prompts.js";
import { runGitHubJob, type GitHubJob, type GitHubJobDeps } from "../jobs/run-github-job.js";
import type { Logger } from "../logging/logger.js";
import { sanitizeTaskText } from "../model/sanitize.js";
import { freezeThread } from "./freeze-thread.js";

/** The parts of an `issue_comment.created` payload the handler needs (validated by the caller). */
export interface CommentEvent {
  repo: RepoRef;
  issueNumber: number;
  isPullRequest: boolean;
  commentId: number;
  commentBody: string;
  author: string;
  authorIsBot: boolean;
  /** Set when the command is a comment on a line of a pull request's diff (a review comment), not in the conversation. */
  reviewComment?: CodeAnchor;
  /** The command is a submitted review's body (`commentId` is the review's), which GitHub offers no reaction for. */
  isReviewBody?: boolean;
}

export interface CommentHandlerDeps {
  forge: Forge;
  queue: JobQueue;
  /** Everything the job needs except the forge, which comes with the event. */
  job: Omit<GitHubJobDeps, "forge" | "log">;
  log: Logger;
}

export type CommentOutcome = "ignored" | "refused" | "help" | "cancelled" | "invalid-config" | "duplicate" | "busy" | "queued" | "failed";

const WRITE = new Set(["write", "admin"]);

/** One job at a time per issue or pull request thread. */
const threadKey = (event: CommentEvent): string => `${event.repo.owner}/${event.repo.repo}#${event.issueNumber}`;

/**
 * Validate, authorise, acknowledge and enqueue. Everything slow (clone, model, sandbox) runs in the
 * job, outside the webhook request.
 */
export async function handleComment(event: CommentEvent, deps: CommentHandlerDeps): Promise<CommentOutcome> {
  if (event.authorIsBot) return "ignored";
  const command = parseCommand(event.commentBody);
  if (!command) return "ignored";
  const { forge } = deps;
  const { repo } = event;
  const log = deps.log.child({ repo: `${repo.owner}/${repo.repo}`, issue: event.issueNumber, commentId: event.commentId });

  const permission = await forge.getPermission(repo, event.author);
  if (!WRITE.has(permission)) {
    log.info({ author: event.author, permission }, "refused: no write access");
    await forge.createComment(
      repo,
      event.issueNumber,
      `Thanks @${event.author}! Only people with write access to this repository can run \`/codegen\`. A maintainer can run it for you.`,
    );
    return "refused";
  }
  const key = threadKey(event);

  if (command.kind === "help") {
    await forge.createComment(repo, event.issueNumber, command.reason ? `${command.reason}\n\n${HELP_TEXT}` : HELP_TEXT);
    return "help";
  }
  if (command.kind === "cancel") {
    const cancelled = deps.queue.cancel(key);
    await forge.createComment(repo, event.issueNumber, cancelled ? "Cancelling the codegen job on this thread." : "There is no codegen job running on this thread.");
    return "cancelled";
  }

  // Acknowledge first: 👀 and the status comment, within a second or two of the webhook.
  const jobId = `cg-${randomBytes(4).toString("hex")}`;
  const task = sanitizeTaskText(command.task);
  const progress = newProgress({ title: task.split("\n")[0] ?? task, jobId, requestedBy: event.author });
  if (event.reviewComment) await forge.addReviewCommentReaction(repo, event.commentId, "eyes");
  else if (!event.isReviewBody) await forge.addReaction(repo, event.commentId, "eyes");
  const status = await forge.createComment(repo, event.issueNumber, renderStatusComment(progress));
  const reporter = new StatusCommentReporter({ forge, repo, commentId: status.id, progress, log });
  log.info({ jobId, statusCommentId: status.id }, "acknowledged");

  // Past the acknowledgement, a failure must end in the status comment: it would otherwise say "queued" for ever.
  try {
    return await prepareJob(event, deps, { command, jobId, task, reporter, log });
  } catch (error) {
    const reason = error instanceof CodegenError ? error.userMessage : "An internal error stopped the job before it started; the operator can find it in the logs under this job id.";
    log.error({ err: error, jobId }, "job could not start");
    await reporter.finish({ kind: "failed", reason: `The job could not start. ${reason}` }).catch(() => {});
    return "failed";
  }
}

/** Read the settings, decide the branch, freeze the thread and enqueue: the part of the handler after the acknowledgement. */
async function prepareJob(
  event: CommentEvent,
  deps: CommentHandlerDeps,
  ctx: { command: Extract<ParsedCommand, { kind: "task" }>; jobId: string; task: string; reporter: StatusCommentReporter; log: Logger },
): Promise<CommentOutcome> {
  const { forge } = deps;
  const { repo } = event;
  const { command, jobId, task, reporter, log } = ctx;
  const key = threadKey(event);

  let config: RepoConfig;
  let instructions: RepositoryInstructions | undefined;
  try {
    config = parseRepoConfig(await forge.readFile(repo, REPO_CONFIG_PATH));
    // From the default branch, as the config: a pull request cannot rewrite the conventions its own job follows.
    instructions = await loadInstructions((path) => forge.readFile(repo, path), { configured: config.instructions, protectedPaths: config.protected_paths });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const lines = error.issues.length ? error.issues.map((i) => `- \`${i.key}\`: ${i.message}`).join("\n") : error.message;
    await reporter.finish({ kind: "refused", reason: `\`${REPO_CONFIG_PATH}\` on the default branch is invalid, so no job ran. Fix these settings:\n\n${lines}` });
    return "invalid-config";
  }

  const repository = await forge.getRepository(repo);
  let followUp: PullRequestInfo | undefined;
  let pull: PullRequestInfo | undefined;
  let baseBranch = repository.defaultBranch;
  let branchKind: "issue" | "pr" = "issue";
  if (event.isPullRequest) {
    pull = await forge.getPullRequest(repo, event.issueNumber);
    // A fork's branch is not in this repository: cloning `headRef` here would build on some other branch of the same
    // name, and the app could not push to the fork anyway.
    if (pull.headRepo?.toLowerCase() !== `${repo.owner}/${repo.repo}`.toLowerCase()) {
      const where = pull.headRepo ? `the fork \`${pull.headRepo}\`` : "a repository that no longer exists";
      await reporter.finish({
        kind: "refused",
        reason: `This pull request's branch lives in ${where}, and codegen can only build on and push to branches of this repository. Push the branch to this repository and open the pull request from there, or give the task in an issue.`,
      });
      return "refused";
    }
    if (pull.state === "closed") {
      await reporter.finish({
        kind: "refused",
        reason: pull.merged
          ? `Pull request #${pull.number} is merged, so there is no open branch to build on. Give the task in an issue, or on an open pull request.`
          : `Pull request #${pull.number} is closed. Reopen it to build on its branch, or give the task in an issue.`,
      });
      return "refused";
    }
    if (pull.headRef.startsWith("codegen/")) {
      followUp = pull;
    } else {
      // A human's pull request: build on its branch and propose the change as a pull request into it.
      baseBranch = pull.headRef;
      branchKind = "pr";
    }
  } else if (!command.restart) {
    const open = await forge.findOpenPullRequests(repo, branchPrefixFor(event.issueNumber));
    if (open.length > 0) {
      const pull = open[0]!;
      await reporter.finish({
        kind: "refused",
        reason: `Pull request #${pull.number} from codegen is already open for this issue: ${pull.htmlUrl}. Comment \`/codegen <more instructions>\` there to change it, or use \`/codegen restart <task>\` here to start over.`,
      });
      return "duplicate";
    }
  }

  const [issue, comments] = await Promise.all([forge.getIssue(repo, event.issueNumber), forge.listComments(repo, event.issueNumber)]);
  const job: GitHubJob = {
    id: jobId,
    repo,
    issueNumber: event.issueNumber,
    requestedBy: event.author,
    task,
    thread: freezeThread(issue, comments, event.commentId),
    config,
    instructions,
    baseBranch,
    // A restart must not collide with the branch of the pull request it supersedes.
    branch: `${branchNameFor(event.issueNumber, task, branchKind)}${command.restart ? `-${jobId.slice(3, 7)}` : ""}`,
    followUp,
    pullRequest: pull && { number: pull.number, baseRef: pull.baseRef },
    anchor: event.reviewComment,
    linksIssue: !event.isPullRequest,
    reporter,
  };
  const enqueued = deps.queue.enqueue({
    id: jobId,
    key,
    run: (signal) => runGitHubJob(job, { ...deps.job, forge, log }, signal),
  });
  if (!enqueued.accepted) {
    await reporter.finish({ kind: "refused", reason: `Job \`${enqueued.activeJobId}\` is already running on this thread; wait for it or stop it with \`/codegen cancel\`.` });
    return "busy";
  }
  // Only a waiting job needs a queue position; a started one has already moved on to cloning.
  if (enqueued.position > 1) await reporter.stage("queued", "running", `position ${enqueued.position} in the queue`);
  log.info({ jobId, position: enqueued.position, followUp: followUp?.number }, "queued");
  return "queued";
}
