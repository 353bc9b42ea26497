/**
 * Typed errors. Every message says what the user (or operator) must do; `userMessage`
 * is the text that is safe to show on GitHub (no paths of the host, no tokens).
 */
export class CodegenError extends Error {
  /** Text safe to post in a GitHub comment. */
  readonly userMessage: string;
  constructor(message: string, options?: { userMessage?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.userMessage = options?.userMessage ?? message;
  }
}

/** `.github/codegen.yml` (or CLI options) is invalid. */
export class ConfigurationError extends CodegenError {
  readonly issues: { key: string; message: string }[];
  constructor(message: string, issues: { key: string; message: string }[] = []) {
    super(message);
    this.issues = issues;
  }
}

/** A `/codegen` command that cannot be understood. */
export class CommandError extends CodegenError {}

/** An operation tried to leave the workspace or touch a protected path. */
export class WorkspaceError extends CodegenError {}

/** A patch (from the model or the sandbox) failed validation; nothing was applied. */
export class PatchRejectedError extends CodegenError {
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message);
    this.path = path;
  }
}

/** The container runtime failed (not the repository's tests). */
export class SandboxError extends CodegenError {}

/** The model API failed after retries, or answered unusably. */
export class ModelError extends CodegenError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(
    message: string,
    options: { status?: number; retryable?: boolean; cause?: unknown; userMessage?: string } = {},
  ) {
    super(message, { cause: options.cause, userMessage: options.userMessage });
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

/** A GitHub API call failed. */
export class GitHubApiError extends CodegenError {
  readonly status: number | undefined;
  constructor(message: string, status?: number, cause?: unknown) {
    super(message, { cause });
    this.status = status;
  }
}

/** The caller may not do this (e.g. no write access). */
export class PermissionError extends CodegenError {}
