import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { codegenApp } from "../../src/app/codegen-app.js";
import { loadAppSettings } from "../../src/config/app-settings.js";
import { JobQueue } from "../../src/jobs/job-queue.js";
import { DockerSandboxProvider } from "../../src/sandbox/docker-sandbox-provider.js";
import { startAnthropicStandIn, type AnthropicStandIn } from "./anthropic-standin/index.js";
import { startGitHubStandIn, type GitHubStandIn, type SeededRepository } from "./github-standin/index.js";
import { leftoverContainers } from "./leftover-containers.js";
import { TestOctokit } from "./github-standin/probot.js";
import { sendWebhook } from "./webhooks.js";

export const TEST_API_KEY = "sk-ant-test-key";
export const CLI_TOOL_FIXTURE = new URL("../fixtures/repos/cli-tool", import.meta.url).pathname;

/**
 * The real app (Probot server, handlers, queue, Docker sandboxes, Anthropic SDK) wired to the local
 * stand-ins by base URL only, as an operator would configure GHE_HOST and ANTHROPIC_BASE_URL.
 */
export interface AppHarness {
  github: GitHubStandIn;
  anthropic: AnthropicStandIn;
  queue: JobQueue;
  webhookUrl: string;
  workDir: string;
  /** Send a signed webhook to the app, as GitHub would. */
  deliver(event: string, payload: unknown, options?: { secret?: string }): Promise<{ status: number; body: string; ms: number }>;
  /** The cli-tool fixture as acme/cli-tool, with alice as a writer. */
  seedCliTool(): Promise<SeededRepository>;
  /** Wait for the jobs, stop everything, and return the containers any job left behind (must be none). */
  close(): Promise<string[]>;
}

export async function startAppHarness(options: { env?: Record<string, string> } = {}): Promise<AppHarness> {
  const github = await startGitHubStandIn();
  const anthropic = await startAnthropicStandIn({ apiKey: TEST_API_KEY });
  const workDir = await mkdtemp(join(tmpdir(), "codegen-e2e-"));
  const log = pino({ level: process.env.E2E_LOG_LEVEL ?? "silent" });
  const settings = loadAppSettings({
    ANTHROPIC_API_KEY: TEST_API_KEY,
    ANTHROPIC_BASE_URL: anthropic.url,
    CODEGEN_MODEL: "claude-haiku-4-5",
    CODEGEN_WORK_DIR: workDir,
    CODEGEN_CONCURRENCY: "2",
    ...options.env,
  });
  const queue = new JobQueue({ concurrency: settings.CODEGEN_CONCURRENCY, log });
  // Remember every job the app runs, to check afterwards that none left a sandbox behind.
  const jobIds: string[] = [];
  const enqueue = queue.enqueue.bind(queue);
  queue.enqueue = (job) => {
    jobIds.push(job.id);
    return enqueue(job);
  };
  const server = new Server({
    Probot: Probot.defaults({
      appId: github.appId,
      privateKey: github.privateKey,
      secret: github.webhookSecret,
      baseUrl: github.apiUrl,
      Octokit: TestOctokit,
      log,
    }),
    host: "127.0.0.1",
    // Probot's Server reads `port: 0` as "unset" and takes 3000, so two suites in parallel workers would collide.
    port: await freePort(),
    log,
  });
  await server.load(codegenApp({ settings, queue, sandboxes: new DockerSandboxProvider({ logger: log }) }));
  const http = await server.start();
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : server.port;
  const webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;

  return {
    github,
    anthropic,
    queue,
    webhookUrl,
    workDir,
    async deliver(event, payload, deliverOptions = {}) {
      const started = performance.now();
      const response = await sendWebhook({ url: webhookUrl, secret: deliverOptions.secret ?? github.webhookSecret, event, payload });
      return { status: response.status, body: response.body, ms: performance.now() - started };
    },
    async seedCliTool() {
      const repo = await github.createRepository({ owner: "acme", name: "cli-tool", fromDirectory: CLI_TOOL_FIXTURE });
      github.setPermission(repo.ref, "alice", "write");
      return repo;
    },
    async close() {
      await queue.onIdle();
      await queue.close();
      await server.stop();
      await Promise.allSettled([github.close(), anthropic.close()]);
      await rm(workDir, { recursive: true, force: true });
      return leftoverContainers(jobIds);
    },
  };
}

/** A port nothing listens on now: the system's pick for a listener on port 0, closed again. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || !address) throw new Error("no port from the system");
  return address.port;
}
