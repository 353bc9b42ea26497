import { describeCommandResult, formatBytes, formatDuration } from "../../src/sandbox/describe-result.js";
import type { CommandResult } from "../../src/sandbox/types.js";

const base: CommandResult = {
  exitCode: 0,
  stdout: Buffer.alloc(0),
  stderr: Buffer.alloc(0),
  output: Buffer.alloc(0),
  timedOut: false,
  truncated: false,
  oomKilled: false,
  durationMs: 1234,
};

describe("describeCommandResult", () => {
  it.each<[string, Partial<CommandResult>, number | undefined, string]>([
    ["success", {}, 30_000, "exit code 0"],
    ["failure", { exitCode: 1 }, 30_000, "exit code 1"],
    ["timeout", { exitCode: null, timedOut: true }, 30_000, "timed out after 30 s"],
    ["fractional timeout", { exitCode: null, timedOut: true }, 1500, "timed out after 1.5 s"],
    ["timeout from the result's limits", { exitCode: null, timedOut: true, limits: { timeoutMs: 600_000, outputBytes: 1, memoryBytes: 1 } }, undefined, "timed out after 600 s"],
    ["output cap", { exitCode: null, truncated: true, output: Buffer.alloc(1024 * 1024) }, 30_000, "output truncated after 1 MiB"],
    ["output cap from limits", { exitCode: null, truncated: true, limits: { timeoutMs: 1, outputBytes: 65536, memoryBytes: 1 } }, 30_000, "output truncated after 64 KiB"],
    ["oom", { exitCode: 137, oomKilled: true, limits: { timeoutMs: 1, outputBytes: 1, memoryBytes: 512 * 1024 ** 2 } }, 30_000, "killed: out of memory (limit 512 MiB)"],
    ["oom without limits", { exitCode: 137, oomKilled: true }, 30_000, "killed: out of memory"],
    ["signal", { exitCode: 139 }, 30_000, "exit code 139 (SIGSEGV)"],
    ["SIGXFSZ", { exitCode: 153 }, 30_000, "exit code 153 (SIGXFSZ)"],
    ["strays", { exitCode: 0, strayProcessesKilled: 2 }, 30_000, "exit code 0; 2 background processes were left running and killed"],
    ["one stray", { exitCode: 0, strayProcessesKilled: 1 }, 30_000, "exit code 0; 1 background process was left running and killed"],
    ["container died", { exitCode: null, containerExited: true }, 30_000, "killed: the sandbox container stopped during the command"],
    ["container died with code", { exitCode: 137, containerExited: true }, 30_000, "exit code 137; the sandbox container stopped during the command"],
    ["killed for another reason", { exitCode: null }, 30_000, "killed"],
  ])("%s", (_name, patch, timeoutMs, expected) => {
    expect(describeCommandResult({ ...base, ...patch }, timeoutMs)).toBe(expected);
  });

  it("prefers the timeout over everything else (the container was killed for it)", () => {
    expect(describeCommandResult({ ...base, exitCode: null, timedOut: true, truncated: true }, 2000)).toBe("timed out after 2 s");
  });
});

describe("formatting", () => {
  it.each([
    [0, "0 bytes"],
    [1023, "1023 bytes"],
    [1024, "1 KiB"],
    [1536, "1.5 KiB"],
    [256 * 1024 ** 2, "256 MiB"],
    [2 * 1024 ** 3, "2 GiB"],
  ])("formatBytes(%d)", (bytes, expected) => expect(formatBytes(bytes)).toBe(expected));
  it.each([
    [250, "250 ms"],
    [1000, "1 s"],
    [30_000, "30 s"],
    [1250, "1.3 s"],
  ])("formatDuration(%d)", (ms, expected) => expect(formatDuration(ms)).toBe(expected));
});
