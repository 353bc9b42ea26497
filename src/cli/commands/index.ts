import type { CliCommandEntry } from "../types.js";

/**
 * The registry of `codegen` subcommands: one entry per command. Modules load lazily, so `codegen classify`
 * does not pay for importing Probot, the model SDK and Testcontainers.
 */
export const cliCommands: CliCommandEntry[] = [
  { name: "run", summary: "run the pipeline on a local repository (no GitHub, never pushes)", load: async () => (await import("./run.js")).runCommand },
  { name: "localize", summary: "rank the files a task needs and pack them into a token budget", load: async () => (await import("./localize.js")).localizeCommand },
  { name: "classify", summary: "classify a diff into risk tiers, with reasons per file", load: async () => (await import("./classify.js")).classifyCommand },
];
