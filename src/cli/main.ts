import { CodegenError } from "../errors/index.js";
import { cliCommands } from "./commands/index.js";
import type { CliIo } from "./types.js";

export function usage(): string {
  const lines = cliCommands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return ["Usage: codegen <command> [options]", "", "Commands:", ...lines, "", "Run `codegen <command> --help` for its options."].join("\n");
}

/** Entry point of the `codegen` binary; returns the process exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage() + "\n");
    return name ? 0 : 2;
  }
  const entry = cliCommands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`codegen: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(command.usage + "\n");
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const message = error instanceof CodegenError ? error.message : String((error as Error)?.stack ?? error);
    io.stderr(`codegen ${name}: ${message}\n`);
    return error instanceof CodegenError ? 2 : 1;
  }
}
