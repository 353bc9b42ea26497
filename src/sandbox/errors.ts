import { SandboxError } from "../errors/index.js";
import { describeCommandResult } from "./describe-result.js";
import type { CommandResult } from "./types.js";

/** The prepare phase's install command failed; no dependency image was cached. */
export class DependencyInstallError extends SandboxError {
  readonly result: CommandResult;
  constructor(result: CommandResult) {
    const reason = describeCommandResult(result);
    super(
      `Installing dependencies failed (${reason}). Fix the \`install\` command in .github/codegen.yml or the lockfile on the base branch, then try again.`,
      { userMessage: `Installing dependencies failed (${reason}). Check the \`install\` command in .github/codegen.yml and the lockfile.` },
    );
    this.result = result;
  }
}
