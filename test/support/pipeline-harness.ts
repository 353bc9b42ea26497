import { cp, mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseRepoConfig } from "../../src/config/load-repo-config.js";
import { runGit } from "../../src/git/safe-git.js";
import { cloneRepository, createBranch } from "../../src/git/workspace.js";
import { runCodegenPipeline, type PipelineResult } from "../../src/jobs/codegen-pipeline.js";
import type { ProgressReporter, Stage, StageState } from "../../src/jobs/progress.js";
import type { FrozenThread } from "../../src/jobs/prompts.js";
import { silentLogger } from "../../src/logging/logger.js";
import { createModelClient } from "../../src/model/client.js";
import type { ModelClient } from "../../src/model/types.js";
import { DockerSandboxProvider } from "../../src/sandbox/docker-sandbox-provider.js";
import type { SandboxProvider } from "../../src/sandbox/types.js";
import type { AnthropicStandIn } from "./anthropic-standin/index.js";

export const CLI_TOOL = new URL("../fixtures/repos/cli-tool", import.meta.url).pathname;

/** What a reporter saw, for assertions. */
export interface RecordedProgress {
  stages: { stage: Stage; state: StageState; detail?: string }[];
  reporter: ProgressReporter;
}

export function recordingReporter(): RecordedProgress {
  const stages: RecordedProgress["stages"] = [];
  return {
    stages,
    reporter: {
      stage: async (stage, state, detail) => void stages.push({ stage, state, detail }),
      section: async () => {},
      finish: async () => {},
    },
  };
}

export interface PipelineRun {
  result: PipelineResult;
  progress: RecordedProgress;
  repoDir: string;
  jobId: string;
}

/**
 * Run the real pipeline (real sandbox, real SDK against the stand-in) on a copy of a fixture repository,
 * with extra files committed on top and a `.github/codegen.yml` text.
 */
export async function runPipelineOn(options: {
  anthropic: AnthropicStandIn;
  apiKey: string;
  task: string;
  /** The issue the command was written on. */
  thread?: FrozenThread;
  fixture?: string;
  extraFiles?: Record<string, string>;
  configYaml?: string;
  now?: () => number;
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  maxRetries?: number;
  /** Cancels the job. */
  signal?: AbortSignal;
  /** The repository's commands (default: `npm test`, no install). */
  commands?: { test: string; install?: string; lint?: string; typecheck?: string };
  /** The sandbox provider (default: a DockerSandboxProvider), e.g. wrapped to time commands. */
  sandboxes?: SandboxProvider;
  /** Wrap the model client (e.g. to time its calls). */
  wrapModel?: (model: ModelClient) => ModelClient;
}): Promise<PipelineRun & { cleanup(): Promise<void> }> {
  const work = await mkdtemp(join(tmpdir(), "codegen-pipeline-test-"));
  const origin = join(work, "origin");
  await cp(options.fixture ?? CLI_TOOL, origin, { recursive: true });
  for (const [path, content] of Object.entries(options.extraFiles ?? {})) {
    await mkdir(dirname(join(origin, path)), { recursive: true });
    await writeFile(join(origin, path), content);
  }
  const git = (...args: string[]) => runGit(args, { cwd: origin });
  await git("init", "-q", "-b", "main");
  await git("add", "-A");
  await git("commit", "-q", "-m", "fixture");
  const clone = await cloneRepository({ cloneUrl: origin, branch: "main", dir: join(work, "clone") });
  await createBranch(clone.dir, "codegen/test");
  const jobId = `pt-${Math.random().toString(36).slice(2, 10)}`;
  const progress = recordingReporter();
  const client = createModelClient({
    apiKey: options.apiKey,
    baseURL: options.anthropic.url,
    model: "claude-haiku-4-5",
    maxRetries: options.maxRetries ?? 0,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, ...options.retry },
    log: silentLogger,
  });
  const model = options.wrapModel ? options.wrapModel(client) : client;
  const result = await runCodegenPipeline(
    {
      jobId,
      repoDir: clone.dir,
      baseSha: clone.headSha,
      task: options.task,
      thread: options.thread,
      config: parseRepoConfig(options.configYaml ?? null),
      commands: options.commands ?? { test: "npm test" },
      sandboxImage: "codegen-sandbox:latest",
      contextBudget: 8000,
      signal: options.signal ?? new AbortController().signal,
      reporter: progress.reporter,
    },
    { sandboxes: options.sandboxes ?? new DockerSandboxProvider({ logger: silentLogger }), model, log: silentLogger, now: options.now },
  );
  return { result, progress, repoDir: clone.dir, jobId, cleanup: () => rm(work, { recursive: true, force: true }) };
}
