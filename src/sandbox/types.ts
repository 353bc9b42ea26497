import type { Readable } from "node:stream";

/** Hard limits for one sandbox container. Defaults live in `defaultSandboxLimits`. */
export interface SandboxLimits {
  memoryBytes: number;
  cpus: number;
  pids: number;
  /** Wall-clock limit per command, enforced from the host by killing the container. */
  commandTimeoutMs: number;
  /** Combined stdout+stderr bytes kept per command; past it the command is killed and marked truncated. */
  outputBytes: number;
  tmpBytes: number;
  fileSizeBytes: number;
  openFiles: number;
  /** Size of the workspace (a tmpfs-backed volume): a disk fill stops at ENOSPC, never at the host's disk. */
  workspaceBytes: number;
  /** Inode cap for each writable mount (/workspace and /tmp): an inode flood stops at ENOSPC. */
  inodes: number;
}

export const defaultSandboxLimits: SandboxLimits = {
  memoryBytes: 2 * 1024 ** 3,
  cpus: 1,
  pids: 256,
  commandTimeoutMs: 10 * 60_000,
  outputBytes: 1024 * 1024,
  tmpBytes: 256 * 1024 ** 2,
  fileSizeBytes: 256 * 1024 ** 2,
  openFiles: 1024,
  workspaceBytes: 1024 ** 3,
  inodes: 262_144,
};

/** The result of one command in the sandbox. Output is bytes, decoded by the caller. */
export interface CommandResult {
  /** null when the command was killed (timeout, output cap, crash). */
  exitCode: number | null;
  stdout: Buffer;
  stderr: Buffer;
  /** stdout and stderr interleaved in arrival order (what a terminal would show), capped. */
  output: Buffer;
  timedOut: boolean;
  /** The output cap was hit and the command was killed. */
  truncated: boolean;
  oomKilled: boolean;
  durationMs: number;
  /** The container stopped under the command (e.g. it killed PID 1); a fresh one starts on the next run. */
  containerExited?: boolean;
  /** Processes the command left running (daemons, orphans); the container was killed to end them. */
  strayProcessesKilled?: number;
  /** The limits this command ran under, so a result can be described on its own. */
  limits?: { timeoutMs: number; outputBytes: number; memoryBytes: number };
}

/** A change to send into a running sandbox: a tar (paths relative to the workspace root) plus deletions. */
export interface WorkspaceUpdate {
  tar?: Readable | Buffer;
  deletions?: string[];
}

export interface RunOptions {
  timeoutMs?: number;
  /** Extra allow-listed environment variables for this command (never secrets). */
  env?: Record<string, string>;
}

/** One job's sandbox: a container (restarted transparently after a kill) holding the workspace. */
export interface Sandbox {
  readonly jobId: string;
  /** Apply changed files (from git's view of the host clone) to the workspace. */
  update(update: WorkspaceUpdate): Promise<void>;
  /** Run a shell command line (`sh -c`) in the workspace with no network. */
  run(command: string, options?: RunOptions): Promise<CommandResult>;
  /** Kill and remove the container and its volume. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface SandboxStartOptions {
  jobId: string;
  /** Image to start from: the prepared dependency image when there is one. */
  image: string;
  /** The workspace's initial content (e.g. `git archive` of the base commit). */
  workspace: Readable | Buffer;
  limits?: Partial<SandboxLimits>;
}

export interface PrepareOptions {
  jobId: string;
  baseImage: string;
  /** Tar of the repository at the base commit. */
  workspace: Readable | Buffer;
  /** Install command, run with network in the prepare phase only. */
  installCommand: string;
  /** Content hash of the manifests and lockfiles (plus install command and base image): the cache key. */
  cacheKey: string;
  limits?: Partial<SandboxLimits>;
}

export interface PreparedImage {
  image: string;
  cached: boolean;
  install?: CommandResult;
}

/** Creates sandboxes; the only way the app runs untrusted code. */
export interface SandboxProvider {
  prepare(options: PrepareOptions): Promise<PreparedImage>;
  start(options: SandboxStartOptions): Promise<Sandbox>;
  /** Remove this app's leftover containers (crashed jobs); returns how many were removed. */
  sweep(options?: { olderThanMs?: number }): Promise<number>;
}
