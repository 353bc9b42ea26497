import { z } from "zod";
import { ConfigurationError } from "../errors/index.js";
import { defaultSandboxLimits, type SandboxLimits } from "./types.js";

const MiB = 1024 ** 2;

/** Bounds for every limit: a typo in a config must not produce a sandbox without limits. */
const limitsSchema = z
  .object({
    memoryBytes: z.number().int().min(32 * MiB).max(64 * 1024 * MiB),
    cpus: z.number().min(0.05).max(64),
    pids: z.number().int().min(8).max(65_536),
    commandTimeoutMs: z.number().int().min(100).max(6 * 3600_000),
    outputBytes: z.number().int().min(1024).max(256 * MiB),
    tmpBytes: z.number().int().min(MiB).max(64 * 1024 * MiB),
    fileSizeBytes: z.number().int().min(MiB).max(1024 * 1024 * MiB),
    openFiles: z.number().int().min(64).max(1_048_576),
    workspaceBytes: z.number().int().min(MiB).max(1024 * 1024 * MiB),
    inodes: z.number().int().min(256).max(16_777_216),
  })
  .strict();

/** Fill in defaults and reject out-of-range limits with a message that names the key. */
export function resolveLimits(...layers: (Partial<SandboxLimits> | undefined)[]): SandboxLimits {
  const merged: Record<string, unknown> = { ...defaultSandboxLimits };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) if (value !== undefined) merged[key] = value;
  }
  const parsed = limitsSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ key: issue.path.join("."), message: issue.message }));
    throw new ConfigurationError(
      `Invalid sandbox limits: ${issues.map((i) => `${i.key}: ${i.message}`).join("; ")}. Use values within the documented bounds.`,
      issues,
    );
  }
  return parsed.data;
}

/** Names whose values are credentials; such variables never enter a sandbox. */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH(?!OR))/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Check an environment meant for the sandbox: valid names, no NUL, no secret-looking names, and no value
 * equal to a secret the app process holds (so a token cannot be smuggled in under an innocent name).
 */
export function assertSandboxEnv(env: Record<string, string>, hostEnv: NodeJS.ProcessEnv = process.env): void {
  const hostSecrets = new Set(
    Object.entries(hostEnv)
      .filter(([key, value]) => SECRET_NAME.test(key) && value !== undefined && value.length >= 8)
      .map(([, value]) => value as string),
  );
  for (const [key, value] of Object.entries(env)) {
    if (!ENV_NAME.test(key)) throw new ConfigurationError(`Sandbox environment name ${JSON.stringify(key)} is invalid: use letters, digits and _.`);
    if (typeof value !== "string" || value.includes("\0") || value.length > 32_768) {
      throw new ConfigurationError(`Sandbox environment variable ${key} has an invalid value: use a plain string without NUL bytes.`);
    }
    if (SECRET_NAME.test(key)) {
      throw new ConfigurationError(`Sandbox environment variable ${key} looks like a credential; secrets never enter the sandbox. Rename or remove it.`);
    }
    if (hostSecrets.has(value)) {
      throw new ConfigurationError(`Sandbox environment variable ${key} carries a secret of the app; secrets never enter the sandbox.`);
    }
  }
}
