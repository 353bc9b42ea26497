import { lstat } from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import { protectedPathMatcher } from "../../config/protected-paths.js";

/**
 * The confinement rules shared by the editor and search tools. The model names files by paths
 * relative to the repository root (`src/a.ts`); `/workspace/src/a.ts` is accepted too, because
 * `/workspace` is where the repository sits in the sandbox and the model may have seen it in test
 * output. Anything else absolute, any `..`, anything in `.git`, protected paths, workflows (unless
 * allowed) and any symbolic link on the way are refused, with a reason the model can act on.
 */
export const WORKSPACE_ROOT = "/workspace";

export interface WorkspacePolicy {
  /** Absolute host path of the clone. */
  root: string;
  /** Globs (picomatch, dot files included) the model may neither read nor change: `protected_paths`. */
  protectedPaths?: readonly string[];
  /** Allow changes under `.github/workflows/` (config `allow_workflow_changes`). */
  allowWorkflowChanges?: boolean;
  /** Files larger than this are neither read nor written. Default 1 MiB. */
  maxFileBytes?: number;
}

export type Access = "read" | "write";

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = <T>(reason: string): Checked<T> => ({ ok: false, reason });

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Directory names never listed or searched (still readable by explicit path, except .git). */
export const SKIPPED_DIRECTORIES = new Set([".git", "node_modules"]);

/** `.git` in any spelling git itself treats as `.git` (case, trailing dots/spaces, NTFS short name). */
function isGitDirName(segment: string): boolean {
  const folded = segment.toLowerCase().replace(/[. ]+$/, "");
  return folded === ".git" || folded === "git~1";
}

/**
 * Turns the model's path into a repository-relative one ("" is the root), or says why not. Pure.
 */
export function normaliseModelPath(input: unknown): Checked<string> {
  if (typeof input !== "string" || input.trim() === "") return fail("A path is required.");
  if (input.includes("\0")) return fail("The path contains a NUL character.");
  if (input.length > 4096) return fail("The path is too long.");
  if (input.includes("\\")) return fail(`Use forward slashes in paths: ${JSON.stringify(input)}.`);
  let rest = input.trim();
  if (rest === WORKSPACE_ROOT || rest.startsWith(`${WORKSPACE_ROOT}/`)) rest = rest.slice(WORKSPACE_ROOT.length);
  else if (rest.startsWith("/")) {
    return fail(
      `${input} is outside the repository. Use a path relative to the repository root (for example src/index.ts) or under ${WORKSPACE_ROOT}/.`,
    );
  }
  const segments = rest.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) return fail(`Paths may not contain "..": ${input}.`);
  return { ok: true, value: segments.join("/") };
}

export interface WorkspaceGuard {
  readonly root: string;
  readonly maxFileBytes: number;
  /** Normalises and applies the name rules (no file system access). */
  check(input: unknown, access: Access): Checked<string>;
  /** True for paths under a protected glob (also used to hide entries from listings and searches). */
  isProtected(relative: string): boolean;
  /** Host path of a checked relative path. */
  absolute(relative: string): string;
  /**
   * lstat()s every component from the root down: refuses symlinks anywhere on the way and
   * non-directories in the middle. Returns the final component's stats, or undefined if it is missing
   * (`missingParents` then says whether directories above it are missing too).
   */
  inspect(relative: string): Promise<Checked<{ stats?: Stats; missingParents: boolean }>>;
}

export function createWorkspaceGuard(policy: WorkspacePolicy): WorkspaceGuard {
  const root = path.resolve(policy.root);
  const maxFileBytes = policy.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const matchesProtected = protectedPathMatcher(policy.protectedPaths);
  const isProtected = (relative: string) => relative !== "" && matchesProtected(relative);

  function check(input: unknown, access: Access): Checked<string> {
    const normalised = normaliseModelPath(input);
    if (!normalised.ok) return normalised;
    const relative = normalised.value;
    const segments = relative === "" ? [] : relative.split("/");
    if (segments.some(isGitDirName)) return fail(`${relative} is inside git's own directory (.git), which is off limits.`);
    if (isProtected(relative) || segments.some((_, i) => isProtected(segments.slice(0, i + 1).join("/")))) {
      return fail(`${relative} is a protected path (protected_paths in .github/codegen.yml); it may not be read or changed.`);
    }
    if (access === "write") {
      if (relative === "") return fail("The repository root is a directory, not a file.");
      const lower = relative.toLowerCase();
      if (!policy.allowWorkflowChanges && (lower === ".github/workflows" || lower.startsWith(".github/workflows/"))) {
        return fail(
          `${relative} is a GitHub Actions workflow; changes under .github/workflows/ are not allowed for this repository (allow_workflow_changes in .github/codegen.yml).`,
        );
      }
      const base = segments[segments.length - 1].toLowerCase();
      // Both change how git builds the tree the sandbox receives (submodules, export-ignore/filters).
      if (base === ".gitmodules" || base === ".gitattributes") {
        return fail(`${relative} controls how git checks out and archives the repository; codegen does not change it.`);
      }
    }
    return { ok: true, value: relative };
  }

  async function inspect(relative: string): Promise<Checked<{ stats?: Stats; missingParents: boolean }>> {
    const segments = relative === "" ? [] : relative.split("/");
    let current = root;
    for (let i = 0; i < segments.length; i++) {
      current = path.join(current, segments[i]);
      const shown = segments.slice(0, i + 1).join("/");
      let stats: Stats;
      try {
        stats = await lstat(current);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          return { ok: true, value: { missingParents: i < segments.length - 1 } };
        }
        return fail(`Cannot access ${shown}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
      }
      if (stats.isSymbolicLink()) return fail(`${shown} is a symbolic link; codegen never follows links.`);
      if (i < segments.length - 1 && !stats.isDirectory()) return fail(`${shown} is not a directory.`);
      if (i === segments.length - 1) return { ok: true, value: { stats, missingParents: false } };
    }
    return { ok: true, value: { stats: await lstat(root), missingParents: false } };
  }

  return {
    root,
    maxFileBytes,
    check,
    isProtected,
    absolute: (relative) => (relative === "" ? root : path.join(root, ...relative.split("/"))),
    inspect,
  };
}

/** Git's heuristic: a NUL byte in the first 8000 bytes means binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 text, or undefined when the bytes are binary or not valid UTF-8. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (looksBinary(bytes)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
