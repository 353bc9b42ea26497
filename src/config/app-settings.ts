import { z } from "zod";
import { ConfigurationError } from "../errors/index.js";

/**
 * The operator's settings, from the environment (`.env` is loaded by Probot). Every variable is
 * documented in `.env.example`. Secrets are read here and handed only to the clients that need them.
 */
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const appSettingsSchema = z.object({
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  CODEGEN_MODEL: z.string().min(1).default("claude-sonnet-4-6"),
  CODEGEN_CONCURRENCY: positiveInt(2),
  CODEGEN_WORK_DIR: z.string().min(1).optional(),
  CODEGEN_CONTEXT_BUDGET: positiveInt(24_000),
  SANDBOX_IMAGE: z.string().min(1).default("codegen-sandbox:latest"),
  SANDBOX_RUNTIME: z.string().min(1).optional(),
  SANDBOX_SWEEP_INTERVAL_SECONDS: positiveInt(300),
  /** Sandboxes older than this are leftovers (no job runs longer: limits.max_minutes is at most 240). */
  SANDBOX_LEFTOVER_MINUTES: positiveInt(250),
});

export type AppSettings = z.infer<typeof appSettingsSchema>;

export function loadAppSettings(env: NodeJS.ProcessEnv): AppSettings {
  // `KEY=` in .env means "not set", as in .env.example.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const result = appSettingsSchema.safeParse(present);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ key: i.path.join("."), message: i.message }));
  throw new ConfigurationError(
    `invalid environment: ${issues.map((i) => `${i.key}: ${i.message}`).join("; ")} (see .env.example)`,
    issues,
  );
}
