import type Dockerode from "dockerode";
import { SandboxError } from "../errors/index.js";
import type { Logger } from "../logging/logger.js";
import { execWithWatchdog, type ExecOutcome } from "./docker-exec.js";
import { parseOomKillCount } from "./exec-output.js";
import { HardenedContainer } from "./hardened-container.js";
import { LABEL_JOB, SANDBOX_USER, WORKSPACE } from "./labels.js";
import { assertSandboxEnv } from "./limits.js";
import type { CommandResult, RunOptions, Sandbox, SandboxLimits, WorkspaceUpdate } from "./types.js";
import { mergeWorkspaceLayers, normalizeWorkspacePath, normalizeWorkspaceTar, readBounded, type WorkspaceLayer } from "./workspace-tar.js";

export interface DockerSandboxOptions {
  jobId: string;
  image: string;
  /** Normalised initial workspace tar (see workspace-tar.ts). */
  workspaceTar: Buffer;
  limits: SandboxLimits;
  runtime?: string;
  env: Record<string, string>;
  /** Directory in the image holding prepared install artefacts, copied into /workspace at start. */
  depsDir?: string;
  maxUpdateBytes: number;
  docker: Dockerode;
  logger: Logger;
}

interface LiveContainer {
  id: string;
  handle: Dockerode.Container;
  /** PIDs present right after start (init and the idle command); anything else after a command is a stray. */
  allowedPids: Set<string>;
  oomKills: number;
  removal?: Promise<void>;
}


const INTERNAL_TIMEOUT_MS = 60_000;
const INTERNAL_OUTPUT_BYTES = 64 * 1024;
/** Deletions passed as argv to the apply step; more go through separate `rm` execs first. */
const MAX_ARGV_DELETIONS = 500;
const APPLY_FAILED = "codegen-sandbox: applying the workspace update failed";

/**
 * Runs in the container before a command when workspace changes are pending (the initial fill of a new
 * container included): copy the prepared dependencies, delete, unpack the tar from stdin as the sandbox
 * user, then become the command. The daemon never copies into a container untrusted code has used, and an
 * iteration costs one exec. Needs sh, cp, rm and tar in the image.
 */
const APPLY_THEN_RUN = [
  'cmd=$1; deps=$2; tarin=$3; shift 3',
  `if [ -n "$deps" ] && ! cp -a -- "$deps/." ${WORKSPACE}/; then echo "${APPLY_FAILED}" >&2; exit 250; fi`,
  `if [ "$#" -gt 0 ] && ! rm -rf -- "$@"; then echo "${APPLY_FAILED}" >&2; exit 250; fi`,
  `if [ "$tarin" = 1 ] && ! tar -x -m -f - -C ${WORKSPACE}; then echo "${APPLY_FAILED}" >&2; exit 250; fi`,
  'exec sh -c "$cmd" </dev/null',
].join("\n");

interface PendingApply {
  deps?: string;
  layer: WorkspaceLayer;
}

/**
 * One job's sandbox. A warm container serves every command; when a command gets the container killed
 * (timeout, output cap, out of memory, stray processes, PID 1 killed) the next call starts a fresh
 * container from the same image and replays the workspace (initial tar, then every update in order), so
 * the job continues from the host's view of the files. Calls are serialised.
 */
export class DockerSandbox implements Sandbox {
  readonly jobId: string;
  private readonly options: DockerSandboxOptions;
  private live: LiveContainer | undefined;
  /** Every update since the start, replayed into a fresh container after a kill. */
  private readonly layers: WorkspaceLayer[] = [];
  /** Changes not yet in the live container (all of them for a new one); the next run applies them. */
  private pending: WorkspaceLayer[] = [];
  private pendingDeps = false;
  private disposed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private starts = 0;

  constructor(options: DockerSandboxOptions) {
    this.jobId = options.jobId;
    this.options = options;
  }

  /** How many containers this sandbox has started (1 + restarts after kills). */
  get containerStarts(): number {
    return this.starts;
  }

  /** The current container's id, if one is running. */
  get containerId(): string | undefined {
    return this.live?.id;
  }

  /** Start the first container now rather than on the first call. */
  warmUp(): Promise<void> {
    return this.serial(async () => {
      await this.ensureLive();
    });
  }

  /**
   * Validate and record an update. It reaches the container with the next `run` (in the same exec), which
   * is the only way to observe the workspace; a problem writing it there is reported by that `run`.
   */
  update(update: WorkspaceUpdate): Promise<void> {
    return this.serial(async () => {
      this.assertUsable();
      const deletions = (update.deletions ?? []).map((path) => {
        const normalized = normalizeWorkspacePath(path);
        if (normalized === undefined) throw new SandboxError("Refusing to delete the workspace root.");
        return normalized;
      });
      const layer: WorkspaceLayer = { deletions };
      if (update.tar !== undefined) {
        const raw = await readBounded(update.tar, this.options.maxUpdateBytes, "update tar");
        layer.tar = (await normalizeWorkspaceTar(raw)).tar;
      }
      if (layer.deletions.length === 0 && !layer.tar) return;
      this.layers.push(layer);
      // A dead container needs nothing here: the next run() starts one and replays every layer.
      if (this.live) this.pending.push(layer);
    });
  }

  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.serial(async () => {
      this.assertUsable();
      const { limits } = this.options;
      const timeoutMs = options.timeoutMs ?? limits.commandTimeoutMs;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new SandboxError(`Invalid command timeout ${timeoutMs} ms.`);
      const env = options.env ?? {};
      assertSandboxEnv(env);
      const execute = async (live: LiveContainer): Promise<ExecOutcome> => {
        const pending = await this.takePending(live);
        const apply = pending?.layer;
        const cmd = pending
          ? [
              "sh",
              "-c",
              APPLY_THEN_RUN,
              "codegen-apply",
              command,
              pending.deps ?? "",
              pending.layer.tar ? "1" : "0",
              ...pending.layer.deletions.map((p) => `${WORKSPACE}/${p}`),
            ]
          : ["sh", "-c", command];
        const outcome = await execWithWatchdog(live.handle, {
          cmd,
          env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
          user: SANDBOX_USER,
          workingDir: WORKSPACE,
          timeoutMs,
          outputBytes: limits.outputBytes,
          stdin: apply?.tar,
          killContainer: () => this.remove(live),
        });
        if (pending && outcome.exitCode === 250 && outcome.stderr.includes(APPLY_FAILED)) {
          await this.remove(live);
          throw new SandboxError(
            `Could not write the update into the sandbox workspace: ${outcome.stderr.toString("utf8").slice(0, 500).trim()}. The workspace may be full (limit workspaceBytes/inodes).`,
            { userMessage: "Could not write the changed files into the sandbox (is the workspace full?)." },
          );
        }
        return outcome;
      };
      let live = await this.ensureLive();
      let outcome: ExecOutcome;
      try {
        outcome = await execute(live);
      } catch (error) {
        // The container stopped since the last call (e.g. the daemon restarted): start afresh once.
        if (!isNotRunning(error)) throw error;
        await this.remove(live);
        live = await this.ensureLive();
        outcome = await execute(live);
      }
      const after = outcome.killed ? { oomKilled: false, containerExited: false, strays: 0 } : await this.afterCommand(live, outcome);
      const result: CommandResult = {
        exitCode: outcome.exitCode,
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        output: outcome.output,
        timedOut: outcome.timedOut,
        truncated: outcome.truncated,
        oomKilled: after.oomKilled,
        durationMs: outcome.durationMs,
        limits: { timeoutMs, outputBytes: limits.outputBytes, memoryBytes: limits.memoryBytes },
      };
      if (after.containerExited) result.containerExited = true;
      if (after.strays > 0) result.strayProcessesKilled = after.strays;
      this.options.logger.info(
        {
          jobId: this.jobId,
          exitCode: result.exitCode,
          durationMs: result.durationMs,
          timedOut: result.timedOut,
          truncated: result.truncated,
          oomKilled: result.oomKilled,
          containerExited: after.containerExited,
          strays: after.strays,
          outputBytes: result.output.length,
        },
        "sandbox command finished",
      );
      return result;
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const live = this.live;
    // Kill first so a hanging command ends now, then wait for the queue and clean up anything it started.
    if (live) await this.remove(live);
    await this.queue.catch(() => undefined);
    if (this.live) await this.remove(this.live);
    await this.removeJobContainers();
  }

  private assertUsable(): void {
    if (this.disposed) throw new SandboxError(`The sandbox of job ${this.jobId} was disposed; start a new one.`);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async ensureLive(): Promise<LiveContainer> {
    if (this.live) return this.live;
    const { docker, limits, image, jobId } = this.options;
    const t0 = performance.now();
    let started;
    try {
      started = await new HardenedContainer(image)
        .withJob(jobId)
        .withLimits(limits)
        .withRuntime(this.options.runtime)
        .withSandboxEnv(this.options.env)
        .start();
    } catch (error) {
      await this.removeJobContainers();
      throw new SandboxError(
        `Could not start a sandbox container from ${image}: ${(error as Error).message}. Check that the image exists (scripts/build-sandbox-image.sh) and the Docker daemon is reachable.`,
        { cause: error, userMessage: "Could not start the sandbox container." },
      );
    }
    this.starts++;
    const handle = docker.getContainer(started.getId());
    const live: LiveContainer = { id: started.getId(), handle, allowedPids: new Set(), oomKills: 0 };
    this.live = live;
    try {
      if (this.disposed) throw new SandboxError("The sandbox was disposed while it started.");
      const t1 = performance.now();
      live.allowedPids = await idleProcessIds(handle);
      // The workspace (prepared dependencies, initial tree, every update so far) goes in with the first
      // command, unpacked inside the container.
      this.pending = [{ deletions: [], tar: this.options.workspaceTar }, ...this.layers];
      this.pendingDeps = this.options.depsDir !== undefined;
      const ms = (a: number, b: number): number => Math.round(b - a);
      this.options.logger.debug(
        { jobId, containerId: live.id, startMs: ms(t0, t1), settleMs: ms(t1, performance.now()), layers: this.layers.length },
        "sandbox container ready",
      );
    } catch (error) {
      await this.remove(live);
      throw error instanceof SandboxError
        ? error
        : new SandboxError(`Could not fill the sandbox workspace: ${(error as Error).message}`, { cause: error });
    }
    return live;
  }

  /** Deletions through tiny execs with the paths as argv (no shell), as the sandbox user. */
  private async deleteInContainer(live: LiveContainer, paths: string[]): Promise<void> {
    for (let i = 0; i < paths.length; i += MAX_ARGV_DELETIONS) {
      const chunk = paths.slice(i, i + MAX_ARGV_DELETIONS).map((path) => `${WORKSPACE}/${path}`);
      await this.internalExec(live, ["rm", "-rf", "--", ...chunk], "delete files");
    }
  }

  /** The pending changes as one step for the next command (a very long deletion list goes first, apart). */
  private async takePending(live: LiveContainer): Promise<PendingApply | undefined> {
    if (this.pending.length === 0 && !this.pendingDeps) return undefined;
    const deps = this.pendingDeps ? this.options.depsDir : undefined;
    const layer = this.pending.length > 0 ? await mergeWorkspaceLayers(this.pending) : { deletions: [] };
    this.pending = [];
    this.pendingDeps = false;
    if (layer.deletions.length > MAX_ARGV_DELETIONS) {
      if (deps) await this.internalExec(live, ["cp", "-a", "--", `${deps}/.`, `${WORKSPACE}/`], "copy prepared dependencies");
      await this.deleteInContainer(live, layer.deletions);
      return { layer: { deletions: [], tar: layer.tar } };
    }
    return { deps, layer };
  }

  /** A command of the app itself (not the repository's); failing it means the sandbox is unusable. */
  private async internalExec(live: LiveContainer, cmd: string[], what: string): Promise<ExecOutcome> {
    const outcome = await execWithWatchdog(live.handle, {
      cmd,
      user: SANDBOX_USER,
      workingDir: WORKSPACE,
      timeoutMs: INTERNAL_TIMEOUT_MS,
      outputBytes: INTERNAL_OUTPUT_BYTES,
      killContainer: () => this.remove(live),
    });
    if (outcome.exitCode !== 0) {
      throw new SandboxError(`Sandbox step "${what}" failed (exit ${outcome.exitCode}): ${outcome.output.toString("utf8").slice(0, 500)}`);
    }
    return outcome;
  }

  /** After a command that was not killed: did the container die, did memory run out, is anything left? */
  private async afterCommand(
    live: LiveContainer,
    outcome: ExecOutcome,
  ): Promise<{ oomKilled: boolean; containerExited: boolean; strays: number }> {
    let state = await this.containerState(live);
    let pids: Set<string> | undefined;
    if (state?.Running) {
      pids = await processIds(live.handle).catch(() => undefined);
      // The exec's stream can end a moment before the daemon marks a dying container as stopped; a
      // missing init or idle process means it is dying.
      const dying = (): boolean => pids === undefined || [...live.allowedPids].some((pid) => !pids!.has(pid));
      for (let attempt = 0; dying() && state?.Running && attempt < 20; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        state = await this.containerState(live);
      }
      if (state?.Running && dying()) state = { Running: false, OOMKilled: state.OOMKilled };
    }
    if (!state?.Running) {
      await this.remove(live);
      return { oomKilled: state?.OOMKilled ?? false, containerExited: true, strays: 0 };
    }
    let oomKilled = false;
    if (outcome.exitCode !== null && outcome.exitCode > 128) oomKilled = await this.oomHappened(live);
    // Unknown process list: treat the container as dirty.
    const strays = pids === undefined ? 1 : [...pids].filter((pid) => !live.allowedPids.has(pid)).length;
    // Daemons and orphans end with the container; the next command gets a fresh one.
    if (strays > 0) await this.remove(live);
    return { oomKilled, containerExited: false, strays };
  }

  private async containerState(live: LiveContainer): Promise<{ Running: boolean; OOMKilled: boolean } | undefined> {
    try {
      return (await live.handle.inspect()).State;
    } catch {
      return undefined;
    }
  }

  /** The memory cgroup's oom_kill counter (v1 or v2), compared with the last value seen. */
  private async oomHappened(live: LiveContainer): Promise<boolean> {
    try {
      const outcome = await execWithWatchdog(live.handle, {
        cmd: ["cat", "/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events"],
        user: SANDBOX_USER,
        workingDir: "/",
        timeoutMs: 10_000,
        outputBytes: 8192,
        killContainer: () => this.remove(live),
      });
      const count = parseOomKillCount(outcome.stdout.toString("utf8"));
      if (count === undefined || count <= live.oomKills) return false;
      live.oomKills = count;
      return true;
    } catch {
      return false;
    }
  }

  /** Kill and remove a container with its volume. Idempotent; everything in the container dies with it. */
  private remove(live: LiveContainer): Promise<void> {
    if (this.live === live) this.live = undefined;
    live.removal ??= live.handle.remove({ force: true, v: true }).then(
      () => undefined,
      (error: { statusCode?: number }) => {
        if (error.statusCode !== 404 && error.statusCode !== 409) {
          this.options.logger.warn({ jobId: this.jobId, containerId: live.id, err: error }, "could not remove sandbox container");
        }
      },
    );
    return live.removal;
  }

  /** Remove every container labelled with this job (e.g. one a failed start left behind). */
  private async removeJobContainers(): Promise<void> {
    const { docker } = this.options;
    const leftovers = await docker
      .listContainers({ all: true, filters: { label: [`${LABEL_JOB}=${this.jobId}`] } })
      .catch(() => []);
    await Promise.all(
      leftovers.map((info) =>
        docker
          .getContainer(info.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined),
      ),
    );
  }
}

/** The container's own processes once it is idle: init and the idle command (polled: the idle command starts a moment after init). */
async function idleProcessIds(handle: Dockerode.Container): Promise<Set<string>> {
  let pids = await processIds(handle);
  for (let attempt = 0; pids.size < 2 && attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    pids = await processIds(handle);
  }
  if (pids.size !== 2) throw new SandboxError(`The sandbox container did not settle (processes: ${pids.size}).`);
  return pids;
}

async function processIds(handle: Dockerode.Container): Promise<Set<string>> {
  const top = (await handle.top({ ps_args: "-o pid" })) as { Titles: string[]; Processes: string[][] | null };
  const column = Math.max(0, top.Titles.indexOf("PID"));
  return new Set((top.Processes ?? []).map((row) => row[column]));
}

function isNotRunning(error: unknown): boolean {
  const e = error as { statusCode?: number; message?: string };
  return e.statusCode === 409 || e.statusCode === 404 || /is not running|no such container/i.test(e.message ?? "");
}
