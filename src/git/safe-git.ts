import { spawn } from "node:child_process";
import { simpleGit, type SimpleGit } from "simple-git";

/**
 * Git on the host only ever touches repositories we cloned ourselves, but their content is untrusted.
 * Every invocation disables hooks, fsmonitor, pagers, symlink checkout and system/global config, so a
 * repository can never make the host run a program (hooks, filters and drivers need config we never load).
 */
export const HARDENED_GIT_CONFIG: readonly string[] = [
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "core.pager=cat",
  "core.editor=false",
  "core.askPass=",
  "credential.helper=",
  // Symlinks are checked out as plain files holding the link text: nothing on the host can point outside.
  "core.symlinks=false",
  "core.protectNTFS=true",
  "core.protectHFS=true",
  "submodule.recurse=false",
  "protocol.allow=never",
  "protocol.https.allow=always",
  "protocol.http.allow=always",
  "protocol.file.allow=always",
  "transfer.fsckObjects=true",
  "advice.detachedHead=false",
  "init.defaultBranch=main",
  "gc.auto=0",
  "maintenance.auto=false",
];

export const BOT_IDENTITY = { name: "codegen[bot]", email: "codegen[bot]@users.noreply.github.com" };

/**
 * What git may inherit from the app's environment: where programs live, proxies and CA bundles for
 * HTTPS. Nothing else (no EDITOR, PAGER, SSH or GIT_* overrides, and no secrets of the app).
 */
const INHERITED = new Set([
  "PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TZ", "LANG",
  "http_proxy", "https_proxy", "no_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
  "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "GIT_SSL_CAPATH",
]);

/** The environment for every git child process: an allow-list, no system or global config, no prompts. */
export function hardenedGitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && INHERITED.has(key)) env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_ATTR_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "/bin/false",
    GIT_AUTHOR_NAME: BOT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: BOT_IDENTITY.email,
    GIT_COMMITTER_NAME: BOT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: BOT_IDENTITY.email,
    LC_ALL: "C",
    ...extra,
  };
}

/**
 * Environment that authenticates HTTP git with an installation token. The token travels in an
 * environment variable (not argv, not `.git/config`), so `ps` and the clone never show it.
 */
export function tokenAuthEnv(token: string | undefined): Record<string, string> {
  if (!token) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

const configArgs = (): string[] => HARDENED_GIT_CONFIG.flatMap((entry) => ["-c", entry]);

/**
 * simple-git with the hardened configuration, for the everyday text commands (clone, fetch, commit, push).
 * Binary output (archives, `-z` listings, binary diffs) goes through `runGit`, because simple-git decodes
 * output as text. `timeoutMs` kills a git that stays silent that long.
 */
export function safeGit(baseDir: string, options: { token?: string; timeoutMs?: number } = {}): SimpleGit {
  const extraEnv = tokenAuthEnv(options.token);
  return simpleGit({
    baseDir,
    config: [...HARDENED_GIT_CONFIG],
    timeout: { block: options.timeoutMs ?? 120_000 },
    // These "unsafe" settings are the defences themselves (hooks/fsmonitor/pager off, auth via env).
    unsafe: {
      allowUnsafeHooksPath: true,
      allowUnsafeFsMonitor: true,
      allowUnsafePager: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeAskPass: true,
      allowUnsafeCredentialHelper: true,
      allowUnsafeEditor: true,
      allowUnsafeProtocolOverride: true,
      allowUnsafeConfigPaths: true,
    } as Record<string, boolean>,
    allowEnvironment: Object.keys(hardenedGitEnv(extraEnv)).filter((k) => k.startsWith("GIT_")),
  } as Parameters<typeof simpleGit>[0]).env(hardenedGitEnv(extraEnv));
}

export interface RunGitOptions {
  cwd: string;
  token?: string;
  input?: Buffer | string;
  /** Fail once stdout grows past this many bytes (default 64 MiB). */
  maxBytes?: number;
  timeoutMs?: number;
}

/** Run git and collect stdout as bytes (for archives and binary diffs, which simple-git would decode). */
export function runGit(args: string[], options: RunGitOptions): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...configArgs(), ...args], {
      cwd: options.cwd,
      env: hardenedGitEnv(tokenAuthEnv(options.token)),
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 120_000,
      killSignal: "SIGKILL",
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let overflow = false;
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        overflow = true;
        child.kill("SIGKILL");
        return;
      }
      out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (err.reduce((n, b) => n + b.length, 0) < 64 * 1024) err.push(chunk);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (overflow) return reject(new Error(`git ${args[0]} produced more than ${maxBytes} bytes`));
      if (code !== 0) {
        const stderr = Buffer.concat(err).toString("utf8").trim();
        return reject(new Error(`git ${args[0]} failed (${signal ?? code}): ${stderr}`));
      }
      resolve(Buffer.concat(out));
    });
    // A git that exits before reading its input closes the pipe; EPIPE then must not crash the process.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}
