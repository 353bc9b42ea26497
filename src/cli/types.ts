/** Where a CLI command writes and what it may read: injected so tests can run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One `codegen <name>` subcommand. Exit code 0 only on success. */
export interface CliCommand {
  name: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** A registry entry: the command's module is imported only when that command runs. */
export interface CliCommandEntry {
  name: string;
  summary: string;
  load(): Promise<CliCommand>;
}
