import type { CliCommand } from "../types.js";

/** The registry of `codegen` subcommands: one line per command. */
export const cliCommands: CliCommand[] = [];
