import { z } from "zod";
import { TIERS } from "../risk/types.js";

/**
 * `.github/codegen.yml`, read from the default branch only. Keys are snake_case; unknown keys are
 * rejected so that a typo never silently falls back to a default.
 */
const commandString = z.string().trim().min(1, "must be a non-empty command line").max(2000);

const riskPattern = z
  .object({
    paths: z.array(z.string().min(1)).min(1, "must list at least one glob"),
    tier: z.enum(TIERS),
    reason: z.string().min(1).max(200).optional(),
  })
  .strict();

export const repoConfigSchema = z
  .object({
    /** Test command, run in the sandbox with no network. Detected when absent. */
    test: commandString.optional(),
    /** Dependency install command, run once per lockfile with network, before any generated change. */
    install: commandString.optional(),
    /** Extra verification commands run on the final change. */
    lint: commandString.optional(),
    typecheck: commandString.optional(),
    sandbox: z
      .object({
        image: z.string().min(1).max(200).optional(),
        memory_mb: z.number().int().min(128).max(16384).default(2048),
        cpus: z.number().min(0.25).max(8).default(1),
        timeout_seconds: z.number().int().min(5).max(3600).default(600),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        max_iterations: z.number().int().min(1).max(20).default(4),
        max_tokens: z.number().int().min(1000).max(20_000_000).default(2_000_000),
        max_cost_usd: z.number().min(0.01).max(500).default(5),
        max_minutes: z.number().min(1).max(240).default(30),
      })
      .strict()
      .prefault({}),
    model: z.string().min(1).max(100).optional(),
    /**
     * A file of conventions for the model, read from the default branch instead of the usual AGENTS.md, CLAUDE.md
     * or .github/copilot-instructions.md; false for none.
     */
    instructions: z
      .union([
        z
          .string()
          .trim()
          .min(1)
          .max(200)
          .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must be a path inside the repository, such as docs/AGENTS.md"),
        z.literal(false),
      ])
      .optional(),
    /** Globs the bot must never read into prompts or change. */
    protected_paths: z.array(z.string().min(1)).default([]),
    /** Allow changes under .github/workflows/ (the tier is then at least high). */
    allow_workflow_changes: z.boolean().default(false),
    /** What to do when the loop gives up: nothing (default) or push a draft PR that says it does not pass. */
    on_give_up: z.enum(["none", "draft"]).default("none"),
    /** Let GitHub auto-merge low-tier PRs once required checks pass. */
    auto_merge: z.boolean().default(false),
    risk: z
      .object({
        patterns: z.array(riskPattern).default([]),
        /** Dry-run / plan commands for infrastructure changes (high tier), run in the sandbox without credentials. */
        plan_commands: z.array(commandString).default([]),
        /** Command that runs a data transformation on sample data and compares with expected output. */
        sample_data_command: commandString.optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type RepoConfig = z.infer<typeof repoConfigSchema>;
export type RepoConfigInput = z.input<typeof repoConfigSchema>;
