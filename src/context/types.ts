/** Why a file was chosen: one entry per signal that contributed. */
export interface SelectionReason {
  signal: string;
  score: number;
  detail?: string;
}

export interface RankedFile {
  path: string;
  score: number;
  /** Tokens this file costs in the prompt as it is really rendered. */
  tokens: number;
  reasons: SelectionReason[];
}

/**
 * `excerpt`: the parts of a target too large to include whole that match the task (see excerpt.ts);
 * `test-excerpt`: the same for a test of the targets.
 */
export type IncludedRole = "target" | "excerpt" | "test" | "test-excerpt" | "types";
export type ExcerptRole = Extract<IncludedRole, "excerpt" | "test-excerpt">;

export function isExcerptRole(role: IncludedRole): role is ExcerptRole {
  return role === "excerpt" || role === "test-excerpt";
}

/** A file in the prompt: whole, or as an excerpt. */
export interface IncludedFile {
  path: string;
  role: IncludedRole;
  content: string;
  tokens: number;
  /** An excerpt's line ranges (1-based, inclusive). */
  lines?: [number, number][];
}

/** The context handed to the model: ranked candidates, the files included whole, and a map of the rest. */
export interface ContextSelection {
  /** All ranked candidates, best first. */
  files: RankedFile[];
  /** Files included in the prompt (whole, or as an excerpt), in prompt order. */
  included: IncludedFile[];
  /** Compact repository map (paths and signatures) of the rest. */
  repoMap: string;
  budget: number;
  usedTokens: number;
  /** The repository's instructions that go in the prompt beside the files (the job sets this; the selector never does). */
  instructions?: { path: string; tokens: number; truncated: boolean };
  /** How the selection was made (extension: optional, for logs and benchmarks). */
  stats?: {
    candidates: number;
    /** Files left out entirely, by kind. */
    dropped: Record<string, number>;
    cacheHit: boolean;
    elapsedMs: number;
  };
}

export interface SelectContextInput {
  repoDir: string;
  task: string;
  /** Token budget for included files plus the map. */
  budget: number;
  /** Commit being read, used as a cache key when given. */
  commit?: string;
  /** A repository holding the history of `commit`, when `repoDir` is a shallow clone (default: `repoDir`). */
  historyDir?: string;
  /** Paths the bot must not read or touch (globs). */
  excluded?: string[];
  /** Where the commit-keyed index cache lives (extension); default `$CODEGEN_CACHE_DIR/context` or `~/.cache/codegen/context`; false disables it. */
  cacheDir?: string | false;
  /** Files the job's pull request already changes: they rank first and seed the graph and co-change. */
  focus?: readonly string[];
  /** Why the focus files rank first, shown in their reason (default: "changed by the pull request"). */
  focusReason?: string;
  /** The thread's comments, of which only the files they point at count (at half the weight of the task's). */
  discussion?: string;
}
