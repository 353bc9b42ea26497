import type { CliCommand } from "../types.js";
import { classifyCommand } from "./classify.js";
import { localizeCommand } from "./localize.js";
import { runCommand } from "./run.js";

/** The registry of `codegen` subcommands: one line per command. */
export const cliCommands: CliCommand[] = [runCommand, localizeCommand, classifyCommand];
