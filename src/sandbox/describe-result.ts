import type { CommandResult } from "./types.js";

const SIGNALS: Record<number, string> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  4: "SIGILL",
  6: "SIGABRT",
  8: "SIGFPE",
  9: "SIGKILL",
  11: "SIGSEGV",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM",
  24: "SIGXCPU",
  25: "SIGXFSZ",
};

/** "30 s", "1.5 s", "250 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(1))} s`;
}

/** "1 MiB", "512 KiB", "1.5 GiB", "100 bytes". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${Number.isInteger(value) ? value : Number(value.toFixed(1))} ${units[unit]}`;
}

/**
 * One line saying how a command ended, for logs, status comments and the model's feedback:
 * "timed out after 30 s", "output truncated after 1 MiB", "killed: out of memory (limit 512 MiB)",
 * "exit code 1". `timeoutMs` is the limit the command ran under (falls back to `result.limits`).
 */
export function describeCommandResult(result: CommandResult, timeoutMs?: number): string {
  const strays = result.strayProcessesKilled
    ? `; ${result.strayProcessesKilled} background process${result.strayProcessesKilled === 1 ? " was" : "es were"} left running and killed`
    : "";
  if (result.timedOut) {
    const limit = timeoutMs ?? result.limits?.timeoutMs;
    return `timed out after ${limit === undefined ? formatDuration(result.durationMs) : formatDuration(limit)}`;
  }
  if (result.truncated) {
    const cap = result.limits?.outputBytes ?? result.output.length;
    return `output truncated after ${formatBytes(cap)}`;
  }
  if (result.oomKilled) {
    const memory = result.limits?.memoryBytes;
    return `killed: out of memory${memory === undefined ? "" : ` (limit ${formatBytes(memory)})`}${strays}`;
  }
  if (result.exitCode === null) {
    return result.containerExited ? "killed: the sandbox container stopped during the command" : "killed";
  }
  if (result.containerExited) return `exit code ${result.exitCode}; the sandbox container stopped during the command`;
  const signal = result.exitCode > 128 ? SIGNALS[result.exitCode - 128] : undefined;
  return `exit code ${result.exitCode}${signal ? ` (${signal})` : ""}${strays}`;
}
