import type { CliCommand } from "../types.js";
import { classifyCommand } from "./classify.js";

/** The registry of `codegen` subcommands: one line per command. */
export const cliCommands: CliCommand[] = [classifyCommand];
