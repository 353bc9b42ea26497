import type { Duplex } from "node:stream";
import type Dockerode from "dockerode";
import { DockerStreamDemuxer, OutputCollector } from "./exec-output.js";

export interface ExecRequest {
  cmd: string[];
  env?: string[];
  user: string;
  workingDir: string;
  timeoutMs: number;
  outputBytes: number;
  /** Bytes for the process's stdin (then closed); without it stdin is not attached. */
  stdin?: Buffer;
  /** Kills the whole container (Docker cannot kill an exec'd process); awaited before the result returns. */
  killContainer: () => Promise<void>;
}

export interface ExecOutcome {
  exitCode: number | null;
  stdout: Buffer;
  stderr: Buffer;
  output: Buffer;
  timedOut: boolean;
  truncated: boolean;
  /** The container was killed by this call (timeout, output cap, unreadable stream). */
  killed: boolean;
  durationMs: number;
}

/**
 * Run one command through raw Dockerode (testcontainers' `exec()` has no timeout or cap and decodes output
 * to strings). A host-side watchdog kills the container when the wall-clock limit passes or the output cap
 * is hit; the output read so far is returned either way. The exit code comes from the exec's inspect.
 */
export async function execWithWatchdog(container: Dockerode.Container, request: ExecRequest): Promise<ExecOutcome> {
  const startedAt = performance.now();
  const collector = new OutputCollector(request.outputBytes);
  let timedOut = false;
  let killing: Promise<void> | undefined;
  let stream: Duplex | undefined;

  const kill = (): Promise<void> => {
    if (!killing) {
      killing = request.killContainer().catch(() => undefined);
      stream?.destroy();
    }
    return killing;
  };
  const timer = setTimeout(() => {
    timedOut = true;
    void kill();
  }, request.timeoutMs);

  let exitCode: number | null = null;
  try {
    const exec = await container.exec({
      Cmd: request.cmd,
      Env: request.env,
      User: request.user,
      WorkingDir: request.workingDir,
      AttachStdin: request.stdin !== undefined,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    if (!killing) {
      stream = (await exec.start({ hijack: true, stdin: request.stdin !== undefined })) as Duplex;
      if (killing) stream.destroy();
      else if (request.stdin !== undefined) {
        stream.on("error", () => undefined); // a process that exits early closes its stdin: EPIPE
        stream.write(request.stdin);
        stream.end(); // half-close: the process sees EOF, its output keeps flowing
      }
      await drain(stream, collector, kill);
    }
    if (!killing) exitCode = await finalExitCode(exec, () => killing !== undefined);
  } catch (error) {
    // After a kill, Docker calls fail with "container not running"; that is the expected outcome.
    if (!killing) throw error;
  } finally {
    clearTimeout(timer);
  }
  if (killing) await killing;
  return {
    exitCode: killing ? null : exitCode,
    ...collector.result(),
    timedOut,
    truncated: collector.truncated,
    killed: killing !== undefined,
    durationMs: Math.round(performance.now() - startedAt),
  };
}

function drain(stream: Duplex, collector: OutputCollector, kill: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const demuxer = new DockerStreamDemuxer((type, payload) => {
      if (!collector.push(type, payload)) void kill();
    });
    stream.on("data", (chunk: Buffer) => {
      try {
        demuxer.write(chunk);
      } catch {
        void kill();
      }
    });
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
}

/**
 * The stream ends when the process's output closes, which is usually its exit. A process that closes its
 * output and keeps running is still running: poll until it exits or the watchdog kills the container.
 */
async function finalExitCode(exec: Dockerode.Exec, killed: () => boolean): Promise<number | null> {
  for (let attempt = 0; !killed(); attempt++) {
    const info = await exec.inspect();
    if (!info.Running) return info.ExitCode ?? null;
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * 2 ** attempt)));
  }
  return null;
}
