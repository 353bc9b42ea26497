import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { loadAppSettings } from "../../config/app-settings.js";
import { parseRepoConfig, REPO_CONFIG_PATH } from "../../config/load-repo-config.js";
import { protectedPathMatcher } from "../../config/protected-paths.js";
import type { RepoConfig } from "../../config/repo-config.js";
import { loadInstructions, type RepositoryInstructions } from "../../context/instructions.js";
import { CodegenError, ConfigurationError } from "../../errors/index.js";
import { slugify } from "../../github/branch-name.js";
import type { PullRequestFile } from "../../github/forge.js";
import { committedBranchFiles } from "../../git/branch-changes.js";
import { runGit } from "../../git/safe-git.js";
import { cloneRepository, commitAll, createBranch } from "../../git/workspace.js";
import { runCodegenPipeline, type PipelineResult } from "../../jobs/codegen-pipeline.js";
import { BRANCH_DIFF_CHARS, focusPaths, renderPullRequestDiff } from "../../jobs/pull-request-change.js";
import { STAGE_LABELS, type Outcome, type ProgressReporter } from "../../jobs/progress.js";
import { resolveCommands } from "../../jobs/resolve-commands.js";
import { createModelClient } from "../../model/client.js";
import { sanitizeTaskText } from "../../model/sanitize.js";
import { DockerSandboxProvider } from "../../sandbox/docker-sandbox-provider.js";
import { parseOptions } from "../parse-options.js";
import type { CliCommand, CliIo } from "../types.js";

const USAGE = `Usage: codegen run --repo <dir> --task <text> [--base <ref>] [--model <id>] [--json]

Runs the codegen pipeline (context, model, sandboxed tests, verification) on a local git repository.
Never pushes: a successful change is left as a commit on a new branch codegen/local-<slug> in <dir>;
your working tree and current branch are not touched. Reads ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL).
  --base <ref>   the branch yours started from: the model sees your commits since then, and the files
                 they change rank first for the context, as on a pull request
Exit code 0 only when the change passed; --json prints one JSON object on stdout.`;

const optionsSchema = z
  .object({
    repo: z.string({ error: "is required: the repository directory" }).min(1),
    task: z.string({ error: "is required: what to change, in a sentence" }).trim().min(3, "must describe the change"),
    base: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    json: z.boolean().default(false),
  })
  .strict();

export interface RunReport {
  status: "succeeded" | "failed" | "refused";
  /** Names the job's log lines and sandbox containers (label codegen.job). */
  jobId: string | null;
  branch: string | null;
  iterations: number;
  tier: string | null;
  tests: { before: TestSummary | null; after: TestSummary | null };
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number; costUsd: number };
  reason: string;
}

interface TestSummary {
  command: string;
  passed: boolean;
  exitCode: number | null;
  counts: { passed: number; failed: number; skipped: number; total: number } | null;
}

export const runCommand: CliCommand = {
  name: "run",
  usage: USAGE,
  async run(args, io) {
    const options = parseOptions(
      args,
      { repo: { type: "string" }, task: { type: "string" }, base: { type: "string" }, model: { type: "string" }, json: { type: "boolean" } },
      optionsSchema,
      USAGE,
    );
    const report = await runLocal({ ...options, repo: resolve(io.cwd, options.repo) }, io);
    if (options.json) io.stdout(`${JSON.stringify(report)}\n`);
    else io.stdout(humanReport(report));
    return report.status === "succeeded" ? 0 : report.status === "refused" ? 2 : 1;
  },
};

async function runLocal(options: { repo: string; task: string; base?: string; model?: string }, io: CliIo): Promise<RunReport> {
  const refused = (reason: string): RunReport => ({ ...emptyReport(), status: "refused", reason });
  const settings = loadAppSettings(io.env);
  if (!settings.ANTHROPIC_API_KEY) return refused("ANTHROPIC_API_KEY is not set: export it (see .env.example).");

  let branch: string;
  let config: RepoConfig;
  let instructions: RepositoryInstructions | undefined;
  let branchFiles: PullRequestFile[] | undefined;
  try {
    branch = (await git(options.repo, ["symbolic-ref", "--quiet", "--short", "HEAD"])).trim();
  } catch {
    return refused(`${options.repo} is not a git repository on a branch: check out a branch first.`);
  }
  try {
    config = parseRepoConfig(await git(options.repo, ["show", `HEAD:${REPO_CONFIG_PATH}`]).catch(() => null));
    instructions = await loadInstructions((path) => git(options.repo, ["show", `HEAD:${path}`]).catch(() => null), {
      configured: config.instructions,
      protectedPaths: config.protected_paths,
    });
    branchFiles = options.base ? await committedBranchFiles(options.repo, options.base) : undefined;
  } catch (error) {
    if (error instanceof ConfigurationError) return refused(error.message);
    throw error;
  }

  const task = sanitizeTaskText(options.task);
  const jobId = `cli-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const work = await mkdtemp(join(tmpdir(), "codegen-cli-"));
  const log = stderrLogger(io);
  try {
    const clone = await cloneRepository({ cloneUrl: options.repo, branch, dir: join(work, "repo") });
    const commands = await resolveCommands(clone.dir, config);
    if (!commands.test) return refused(`No test command found: add \`test: <command>\` to ${REPO_CONFIG_PATH}.`);
    const newBranch = await freeBranchName(options.repo, `codegen/local-${slugify(task) || "change"}`);
    await createBranch(clone.dir, newBranch);

    const model = createModelClient({
      apiKey: settings.ANTHROPIC_API_KEY,
      baseURL: settings.ANTHROPIC_BASE_URL,
      model: options.model ?? config.model ?? settings.CODEGEN_MODEL,
      log,
    });
    const sandboxes = new DockerSandboxProvider({ logger: log, runtime: settings.SANDBOX_RUNTIME });
    const result = await runCodegenPipeline(
      {
        jobId,
        repoDir: clone.dir,
        baseSha: clone.headSha,
        task,
        ...(branchFiles && options.base && {
          branchChange: {
            followUp: false,
            baseRef: options.base,
            diff: renderPullRequestDiff({ files: branchFiles }, BRANCH_DIFF_CHARS, protectedPathMatcher(config.protected_paths)),
          },
          focus: focusPaths({ files: branchFiles }),
          focusReason: `changed since ${options.base}`,
        }),
        config,
        instructions,
        commands: { ...commands, test: commands.test },
        sandboxImage: config.sandbox.image ?? settings.SANDBOX_IMAGE,
        contextBudget: settings.CODEGEN_CONTEXT_BUDGET,
        signal: new AbortController().signal,
        reporter: stderrReporter(io),
      },
      { sandboxes, model, log },
    );
    let resultBranch: string | null = null;
    if (result.status === "succeeded" && result.patch) {
      await commitAll(clone.dir, `${task.split("\n")[0]!.slice(0, 68)}\n\n${result.summary}\n\ncodegen (local run)`);
      // Fetch the commit into the user's repository as a new branch: the working tree is not touched.
      await git(options.repo, ["fetch", "--quiet", "--no-tags", clone.dir, `refs/heads/${newBranch}:refs/heads/${newBranch}`]);
      resultBranch = newBranch;
    }
    return toReport(result, resultBranch, jobId);
  } catch (error) {
    if (error instanceof CodegenError) return { ...emptyReport(), jobId, status: "failed", reason: error.userMessage };
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function toReport(result: PipelineResult, branch: string | null, jobId: string): RunReport {
  const summary = (r: PipelineResult["before"]): TestSummary | null =>
    r ? { command: r.command, passed: r.passed, exitCode: r.exitCode, counts: r.counts } : null;
  return {
    status: result.status,
    jobId,
    branch,
    iterations: result.iterations,
    tier: result.risk?.tier ?? null,
    tests: { before: summary(result.before), after: summary(result.after) },
    usage: {
      input: result.usage.inputTokens,
      output: result.usage.outputTokens,
      cacheRead: result.usage.cacheReadTokens,
      cacheWrite: result.usage.cacheWriteTokens,
      costUsd: Number(result.costUsd.toFixed(6)),
    },
    reason: result.reason,
  };
}

const emptyReport = (): Omit<RunReport, "status" | "reason"> => ({
  jobId: null,
  branch: null,
  iterations: 0,
  tier: null,
  tests: { before: null, after: null },
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0 },
});

function humanReport(report: RunReport): string {
  const lines = [`${report.status}: ${report.reason}`];
  if (report.branch) lines.push(`branch: ${report.branch}`);
  lines.push(`iterations: ${report.iterations}${report.tier ? `, risk: ${report.tier}` : ""}`);
  const u = report.usage;
  lines.push(`tokens: input ${u.input}, output ${u.output}, cache read ${u.cacheRead}, cache write ${u.cacheWrite}; cost $${u.costUsd.toFixed(4)}`);
  return `${lines.join("\n")}\n`;
}

/** `base`, or `base-2`, `base-3`, … when the branch already exists in the user's repository. */
async function freeBranchName(repo: string, base: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const exists = await git(repo, ["rev-parse", "--verify", "--quiet", `refs/heads/${name}`]).then(() => true, () => false);
    if (!exists) return name;
  }
  throw new CodegenError(`Too many branches named ${base}-N in this repository; delete some.`);
}

const git = async (cwd: string, args: string[]): Promise<string> => (await runGit(args, { cwd })).toString("utf8");

function stderrReporter(io: CliIo): ProgressReporter {
  return {
    async stage(stage, state, detail) {
      if (state === "pending") return;
      io.stderr(`[${state}] ${STAGE_LABELS[stage]}${detail ? `: ${detail}` : ""}\n`);
    },
    async section() {},
    async finish(outcome: Exclude<Outcome, { kind: "running" }>) {
      io.stderr(`[${outcome.kind}]\n`);
    },
  };
}

/** A pino-shaped logger for the CLI: warnings and errors to stderr, the rest dropped. */
function stderrLogger(io: CliIo) {
  const write = (level: string) => (objOrMsg: unknown, msg?: string) => {
    const text = typeof objOrMsg === "string" ? objOrMsg : (msg ?? "");
    const err = typeof objOrMsg === "object" && objOrMsg && "err" in objOrMsg ? ` (${String((objOrMsg as { err: unknown }).err)})` : "";
    io.stderr(`${level}: ${text}${err}\n`);
  };
  const noop = () => {};
  const logger = { trace: noop, debug: noop, info: noop, warn: write("warning"), error: write("error"), child: () => logger };
  return logger;
}
