import type { ApplicationFunctionOptions, Context, Probot } from "probot";
import { loadAppSettings, type AppSettings } from "../config/app-settings.js";
import { ModelError } from "../errors/index.js";
import { OctokitForge } from "../github/octokit-forge.js";
import { JobQueue } from "../jobs/job-queue.js";
import type { Logger } from "../logging/logger.js";
import { createModelClient } from "../model/client.js";
import type { ModelClient } from "../model/types.js";
import { DockerSandboxProvider } from "../sandbox/docker-sandbox-provider.js";
import { startPeriodicSweep } from "../sandbox/sweep.js";
import type { SandboxProvider } from "../sandbox/types.js";
import { handleComment, type CommentEvent } from "./handle-comment.js";
import { reevaluateRiskGate } from "./reevaluate-risk-gate.js";

/** The webhook events a `/codegen` command can arrive in. */
type CommandEvent = "issue_comment.created" | "pull_request_review_comment.created" | "pull_request_review.submitted";

export interface CodegenAppOptions {
  settings: AppSettings;
  sandboxes?: SandboxProvider;
  /** Builds the model client for a model id; defaults to the Anthropic client with the settings' key. */
  createModel?: (model: string) => ModelClient;
  queue?: JobQueue;
}

/** The app function. Webhook handlers only validate, acknowledge and enqueue. */
export function codegenApp(options: CodegenAppOptions) {
  return (app: Probot, _helpers?: ApplicationFunctionOptions): void => {
    const { settings } = options;
    const log = app.log as unknown as Logger;
    const queue = options.queue ?? new JobQueue({ concurrency: settings.CODEGEN_CONCURRENCY, log });
    const sandboxes = options.sandboxes ?? new DockerSandboxProvider({ logger: log.child({ name: "sandbox" }), runtime: settings.SANDBOX_RUNTIME });
    const createModel = options.createModel ?? ((model: string) => defaultModel(settings, model, log));
    startSweeper(sandboxes, settings, log);

    let appLogin: Promise<string> | undefined;
    const resolveAppLogin = (): Promise<string> =>
      (appLogin ??= app
        .auth()
        .then((octokit) => octokit.rest.apps.getAuthenticated())
        .then(({ data }) => `${data?.slug ?? "codegen"}[bot]`)
        .catch(() => "codegen[bot]"));

    /** Every command source (a comment, a line comment, a review's body) goes through the same handler. */
    const onCommand = async (context: Context<CommandEvent>, event: Omit<CommentEvent, "repo">): Promise<void> => {
      const log = context.log as unknown as Logger;
      const forge = new OctokitForge(context.octokit, { installationId: context.payload.installation?.id, logger: log });
      await handleComment(
        { repo: context.repo(), ...event },
        {
          forge,
          queue,
          log,
          job: {
            sandboxes,
            createModel,
            defaultModel: settings.CODEGEN_MODEL,
            sandboxImage: settings.SANDBOX_IMAGE,
            contextBudget: settings.CODEGEN_CONTEXT_BUDGET,
            workDir: settings.CODEGEN_WORK_DIR,
            appLogin: await resolveAppLogin(),
          },
        },
      );
    };

    app.on("issue_comment.created", async (context) => {
      const { payload } = context;
      await onCommand(context, {
        issueNumber: payload.issue.number,
        isPullRequest: Boolean(payload.issue.pull_request),
        commentId: payload.comment.id,
        commentBody: payload.comment.body ?? "",
        author: payload.comment.user?.login ?? payload.sender.login,
        // The app's own comments (and every other bot's) never start a job: no loops.
        authorIsBot: context.isBot || payload.comment.user?.type === "Bot",
      });
    });

    // `/codegen` written on a line of a pull request's diff: the same job, pointed at that file and hunk.
    app.on("pull_request_review_comment.created", async (context) => {
      const { payload } = context;
      const { comment } = payload;
      await onCommand(context, {
        issueNumber: payload.pull_request.number,
        isPullRequest: true,
        commentId: comment.id,
        commentBody: comment.body ?? "",
        author: comment.user?.login ?? payload.sender.login,
        authorIsBot: context.isBot || comment.user?.type === "Bot",
        reviewComment: { path: comment.path, line: comment.line ?? null, diffHunk: comment.diff_hunk },
      });
    });

    // `/codegen` in the body of a submitted review ("Request changes: /codegen handle the empty list"): a job on the PR.
    app.on("pull_request_review.submitted", async (context) => {
      const { payload } = context;
      await onCommand(context, {
        issueNumber: payload.pull_request.number,
        isPullRequest: true,
        commentId: payload.review.id,
        commentBody: payload.review.body ?? "",
        author: payload.review.user?.login ?? payload.sender.login,
        authorIsBot: context.isBot || payload.review.user?.type === "Bot",
        isReviewBody: true,
      });
    });

    // The gate follows the pull request: a new review or a new head commit re-decides it.
    app.on(["pull_request_review.submitted", "pull_request_review.dismissed", "pull_request.synchronize"], async (context) => {
      const { payload } = context;
      const forge = new OctokitForge(context.octokit, { installationId: payload.installation?.id, logger: context.log as unknown as Logger });
      await reevaluateRiskGate(
        { repo: context.repo(), pullNumber: payload.pull_request.number, appLogin: await resolveAppLogin() },
        { forge, log: context.log as unknown as Logger },
      );
    });
  };
}

function defaultModel(settings: AppSettings, model: string, log: Logger): ModelClient {
  if (!settings.ANTHROPIC_API_KEY) {
    // Fail the job (not the app) with a message the operator can act on.
    return {
      model,
      turn: async () => {
        throw new ModelError("ANTHROPIC_API_KEY is not set", {
          userMessage: "The app has no Anthropic API key configured. The operator must set ANTHROPIC_API_KEY (see .env.example).",
        });
      },
    };
  }
  return createModelClient({ apiKey: settings.ANTHROPIC_API_KEY, baseURL: settings.ANTHROPIC_BASE_URL, model, log: log.child({ name: "model" }) });
}

/**
 * Remove leftover sandboxes of crashed jobs at start-up and then periodically. Only containers older
 * than any job may live are removed, so another app process sharing the Docker host keeps its own.
 */
function startSweeper(sandboxes: SandboxProvider, settings: AppSettings, log: Logger): void {
  const olderThanMs = settings.SANDBOX_LEFTOVER_MINUTES * 60_000;
  const sweep = (options: { olderThanMs: number }) =>
    sandboxes.sweep(options).then((removed) => {
      if (removed) log.info({ removed }, "removed leftover sandboxes");
      return removed;
    });
  sweep({ olderThanMs }).catch((error: unknown) => log.warn({ err: error }, "start-up sandbox sweep failed"));
  startPeriodicSweep(sweep, { intervalMs: settings.SANDBOX_SWEEP_INTERVAL_SECONDS * 1000, olderThanMs, logger: log });
}

export { loadAppSettings };
