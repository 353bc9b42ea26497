import type Dockerode from "dockerode";
import { getContainerRuntimeClient } from "testcontainers";
import { ConfigurationError, SandboxError } from "../errors/index.js";
import { silentLogger, type Logger } from "../logging/logger.js";
import { execWithWatchdog } from "./docker-exec.js";
import { DockerSandbox } from "./docker-sandbox.js";
import { DependencyInstallError } from "./errors.js";
import { HardenedContainer } from "./hardened-container.js";
import { DEPS_DIR, LABEL_DEPS_BASE, LABEL_DEPS_DIR, LABEL_DEPS_KEY, SANDBOX_USER, WORKSPACE, jobLabels } from "./labels.js";
import { assertSandboxEnv, resolveLimits } from "./limits.js";
import { sweepSandboxContainers } from "./sweep.js";
import type {
  CommandResult,
  PreparedImage,
  PrepareOptions,
  Sandbox,
  SandboxLimits,
  SandboxProvider,
  SandboxStartOptions,
} from "./types.js";
import { normalizeWorkspaceTar, prefixTarStream, readBounded, type WorkspaceEntry } from "./workspace-tar.js";

export interface DockerSandboxProviderOptions {
  logger?: Logger;
  /** OCI runtime, e.g. "runsc" (gVisor). Default: env SANDBOX_RUNTIME, else Docker's default runtime. */
  runtime?: string;
  /** Defaults for every sandbox; a start/prepare call may override them. */
  limits?: Partial<SandboxLimits>;
  /** Extra allow-listed environment for every sandbox (checked: no secrets). */
  env?: Record<string, string>;
  /** Cap on the initial workspace tar and on each update tar. Default 512 MiB. */
  maxWorkspaceBytes?: number;
  /** Repository name of prepared dependency images. Default "codegen-deps". */
  dependencyImageRepository?: string;
  /** A Dockerode client; default: testcontainers' (which honours DOCKER_HOST and its other settings). */
  docker?: Dockerode;
}

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const CACHE_KEY = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

/** The runtime named by the environment (SANDBOX_RUNTIME), if any. */
export function runtimeFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.SANDBOX_RUNTIME?.trim();
  if (!value) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(value)) {
    throw new ConfigurationError(`SANDBOX_RUNTIME=${JSON.stringify(value)} is not a runtime name: use e.g. "runsc" or leave it unset.`);
  }
  return value;
}

/**
 * The only way the app runs untrusted code: hardened Docker containers managed through testcontainers.
 * `prepare` builds (or reuses) a dependency image with network; `start` gives a job its warm,
 * network-less sandbox; `sweep` removes leftovers of crashed jobs.
 */
export class DockerSandboxProvider implements SandboxProvider {
  private readonly logger: Logger;
  private readonly runtime: string | undefined;
  private readonly limits: Partial<SandboxLimits>;
  private readonly env: Record<string, string>;
  private readonly maxWorkspaceBytes: number;
  private readonly depsRepository: string;
  private dockerClient: Promise<Dockerode> | undefined;
  private readonly depsDirs = new Map<string, Promise<string | undefined>>();
  private readonly preparing = new Map<string, Promise<PreparedImage>>();

  constructor(options: DockerSandboxProviderOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.runtime = options.runtime ?? runtimeFromEnvironment();
    this.limits = options.limits ?? {};
    resolveLimits(this.limits); // fail at construction, not at the first job
    this.env = options.env ?? {};
    assertSandboxEnv(this.env);
    this.maxWorkspaceBytes = options.maxWorkspaceBytes ?? 512 * 1024 ** 2;
    this.depsRepository = options.dependencyImageRepository ?? "codegen-deps";
    if (options.docker) this.dockerClient = Promise.resolve(options.docker);
  }

  async start(options: SandboxStartOptions): Promise<Sandbox> {
    return this.startSandbox(options);
  }

  /** `start` with the concrete type (exposes container ids and restart counts for tests and benches). */
  async startSandbox(options: SandboxStartOptions): Promise<DockerSandbox> {
    assertJobId(options.jobId);
    const limits = resolveLimits(this.limits, options.limits);
    const docker = await this.docker();
    const raw = await readBounded(options.workspace, this.maxWorkspaceBytes);
    const [{ tar }, depsDir] = await Promise.all([normalizeWorkspaceTar(raw), this.dependencyDir(options.image)]);
    const sandbox = new DockerSandbox({
      jobId: options.jobId,
      image: options.image,
      workspaceTar: tar,
      limits,
      runtime: this.runtime,
      env: this.env,
      depsDir,
      maxUpdateBytes: this.maxWorkspaceBytes,
      docker,
      logger: this.logger.child({ jobId: options.jobId }),
    });
    try {
      await sandbox.warmUp();
    } catch (error) {
      await sandbox.dispose();
      throw error;
    }
    return sandbox;
  }

  async prepare(options: PrepareOptions): Promise<PreparedImage> {
    assertJobId(options.jobId);
    if (!CACHE_KEY.test(options.cacheKey)) {
      throw new SandboxError(`Dependency cache key ${JSON.stringify(options.cacheKey)} is not a valid image tag: use dependencyCacheKey().`);
    }
    const image = `${this.depsRepository}:${options.cacheKey}`;
    // The cached image must come from the base image as it is now (a rebuilt tag has a new id), whatever
    // the caller folded into the key.
    const baseId = await this.imageId(options.baseImage);
    if (baseId === undefined) {
      throw new SandboxError(`Base image ${options.baseImage} does not exist: build it with scripts/build-sandbox-image.sh.`);
    }
    if ((await this.imageLabels(image))?.[LABEL_DEPS_BASE] === baseId) return { image, cached: true };
    // Two jobs with the same lockfile at once build the image once.
    let pending = this.preparing.get(image);
    if (!pending) {
      pending = this.buildDependencyImage(image, baseId, options).finally(() => this.preparing.delete(image));
      this.preparing.set(image, pending);
    }
    const built = await pending;
    return built;
  }

  async sweep(options: { olderThanMs?: number } = {}): Promise<number> {
    return sweepSandboxContainers(await this.docker(), { olderThanMs: options.olderThanMs ?? 0, logger: this.logger });
  }

  private docker(): Promise<Dockerode> {
    this.dockerClient ??= getContainerRuntimeClient().then((client) => client.container.dockerode);
    return this.dockerClient;
  }

  /** The image's id, or undefined when it does not exist. */
  async imageId(image: string): Promise<string | undefined> {
    return (await this.inspectImage(image))?.Id;
  }

  private async imageLabels(image: string): Promise<Record<string, string> | undefined> {
    const info = await this.inspectImage(image);
    return info ? (info.Config?.Labels ?? {}) : undefined;
  }

  private async inspectImage(image: string): Promise<Dockerode.ImageInspectInfo | undefined> {
    const docker = await this.docker();
    try {
      return await docker.getImage(image).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw new SandboxError(`Could not inspect image ${image}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** The prepared-artefact directory of an image (only our own label value is honoured). */
  private dependencyDir(image: string): Promise<string | undefined> {
    let cached = this.depsDirs.get(image);
    if (!cached) {
      cached = (async () => {
        const docker = await this.docker();
        try {
          const info = await docker.getImage(image).inspect();
          return info.Config?.Labels?.[LABEL_DEPS_DIR] === DEPS_DIR ? DEPS_DIR : undefined;
        } catch (error) {
          this.depsDirs.delete(image);
          if ((error as { statusCode?: number }).statusCode === 404) {
            throw new SandboxError(`Sandbox image ${image} does not exist: build it with scripts/build-sandbox-image.sh or prepare it first.`);
          }
          throw error;
        }
      })();
      this.depsDirs.set(image, cached);
    }
    return cached;
  }

  /**
   * Install in a network-enabled but otherwise hardened container (read-only root, tmpfs workspace), drop
   * the repository's tracked files again, then relay the remaining install artefacts into a container that
   * is never started and commit that. Untrusted install scripts thus never run in a container whose
   * writable layer becomes the image, and their disk use is capped by the workspace size.
   */
  private async buildDependencyImage(image: string, baseId: string, options: PrepareOptions): Promise<PreparedImage> {
    const docker = await this.docker();
    const limits = resolveLimits(this.limits, options.limits);
    const raw = await readBounded(options.workspace, this.maxWorkspaceBytes);
    const { tar, entries } = await normalizeWorkspaceTar(raw);
    const log = this.logger.child({ jobId: options.jobId, image });
    let installContainer: Dockerode.Container | undefined;
    let commitContainer: Dockerode.Container | undefined;
    const removeAll = async (): Promise<void> => {
      await Promise.all(
        [installContainer, commitContainer].map((c) => c?.remove({ force: true, v: true }).catch(() => undefined)),
      );
    };
    try {
      const started = await new HardenedContainer(options.baseImage)
        .withJob(options.jobId)
        .withLimits(limits)
        .withRuntime(this.runtime)
        .withSandboxEnv(this.env)
        .withDependencyInstallNetwork()
        .start();
      const handle = docker.getContainer(started.getId());
      installContainer = handle;
      await handle.putArchive(tar, { path: WORKSPACE });
      const outcome = await execWithWatchdog(handle, {
        cmd: ["sh", "-c", options.installCommand],
        user: SANDBOX_USER,
        workingDir: WORKSPACE,
        timeoutMs: limits.commandTimeoutMs,
        outputBytes: limits.outputBytes,
        killContainer: async () => {
          await handle.remove({ force: true, v: true }).catch(() => undefined);
        },
      });
      const install: CommandResult = {
        exitCode: outcome.exitCode,
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        output: outcome.output,
        timedOut: outcome.timedOut,
        truncated: outcome.truncated,
        oomKilled: false,
        durationMs: outcome.durationMs,
        limits: { timeoutMs: limits.commandTimeoutMs, outputBytes: limits.outputBytes, memoryBytes: limits.memoryBytes },
      };
      if (install.exitCode !== 0) {
        if (!outcome.killed && install.exitCode !== null && install.exitCode > 128) {
          install.oomKilled = (await handle.inspect().catch(() => undefined))?.State.OOMKilled ?? false;
        }
        throw new DependencyInstallError(install);
      }
      await removeTrackedFiles(handle, entries);
      // Freeze every process (install scripts may leave daemons) so nothing can swap paths during the copy.
      await handle.pause();
      const artefacts = await handle.getArchive({ path: `${WORKSPACE}/.` });
      commitContainer = await docker.createContainer({
        Image: options.baseImage,
        Cmd: ["true"],
        User: SANDBOX_USER,
        Labels: jobLabels(options.jobId),
        NetworkDisabled: true,
        HostConfig: { NetworkMode: "none", LogConfig: { Type: "none", Config: {} }, CapDrop: ["ALL"] },
      });
      await commitContainer.putArchive(prefixTarStream(artefacts, DEPS_DIR, limits.workspaceBytes * 2), { path: "/" });
      const [repo, tag] = [image.slice(0, image.lastIndexOf(":")), image.slice(image.lastIndexOf(":") + 1)];
      await commitContainer.commit({
        repo,
        tag,
        comment: "codegen prepared dependencies",
        changes: `LABEL ${LABEL_DEPS_DIR}=${DEPS_DIR} ${LABEL_DEPS_KEY}=${options.cacheKey} ${LABEL_DEPS_BASE}=${baseId}`,
      });
      log.info({ durationMs: install.durationMs }, "dependency image prepared");
      return { image, cached: false, install };
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      throw new SandboxError(`Preparing dependencies failed: ${(error as Error).message}`, {
        cause: error,
        userMessage: "Preparing the dependency image failed.",
      });
    } finally {
      await removeAll();
    }
  }
}

/** Remove the repository's own files after the install, keeping only what the install produced. */
async function removeTrackedFiles(handle: Dockerode.Container, entries: WorkspaceEntry[]): Promise<void> {
  const files = entries.filter((e) => e.type !== "directory").map((e) => `${WORKSPACE}/${e.path}`);
  const directories = entries
    .filter((e) => e.type === "directory")
    .map((e) => `${WORKSPACE}/${e.path}`)
    .sort((a, b) => b.split("/").length - a.split("/").length);
  const run = async (cmd: string[]): Promise<void> => {
    const outcome = await execWithWatchdog(handle, {
      cmd,
      user: SANDBOX_USER,
      workingDir: WORKSPACE,
      timeoutMs: 60_000,
      outputBytes: 64 * 1024,
      killContainer: async () => {
        await handle.remove({ force: true, v: true }).catch(() => undefined);
      },
    });
    if (outcome.killed) throw new SandboxError("Removing the repository's files from the dependency image timed out.");
  };
  for (let i = 0; i < files.length; i += 500) await run(["rm", "-rf", "--", ...files.slice(i, i + 500)]);
  // A directory the install filled (e.g. packages/x/node_modules inside packages/x) stays.
  for (let i = 0; i < directories.length; i += 500) {
    await run(["rmdir", "--ignore-fail-on-non-empty", "--", ...directories.slice(i, i + 500)]);
  }
}

function assertJobId(jobId: string): void {
  if (!JOB_ID.test(jobId)) {
    throw new SandboxError(`Job id ${JSON.stringify(jobId)} is invalid: use letters, digits, '.', '_' and '-' (at most 128).`);
  }
}
