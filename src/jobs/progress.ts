/** The stages a user sees in the status comment, in order. */
export const STAGES = ["queued", "cloning", "context", "generating", "testing", "verifying", "delivering"] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  queued: "Queued",
  cloning: "Cloning",
  context: "Selecting context",
  generating: "Generating",
  testing: "Testing",
  verifying: "Verifying",
  delivering: "Opening pull request",
};

export type StageState = "pending" | "running" | "done" | "failed" | "skipped";

export interface StageStatus {
  state: StageState;
  detail?: string;
}

export type Outcome =
  | { kind: "running" }
  | { kind: "succeeded"; summary: string; url?: string }
  | { kind: "failed"; reason: string; lastFailure?: string; spent?: string }
  | { kind: "refused"; reason: string };

export interface JobProgress {
  title: string;
  requestedBy?: string;
  jobId: string;
  stages: Record<Stage, StageStatus>;
  /** Extra markdown sections by key (chosen context files, risk, ...), already collapsed where they should be. */
  sections: { key: string; markdown: string }[];
  outcome: Outcome;
}

export function newProgress(input: { title: string; jobId: string; requestedBy?: string }): JobProgress {
  const stages = Object.fromEntries(STAGES.map((s) => [s, { state: "pending" }])) as Record<Stage, StageStatus>;
  stages.queued = { state: "running" };
  return { ...input, stages, sections: [], outcome: { kind: "running" } };
}

/** Receives progress as the job moves: the status comment on GitHub, stderr in the CLI. */
export interface ProgressReporter {
  stage(stage: Stage, state: StageState, detail?: string): Promise<void>;
  /** Add or replace the markdown section with this key. */
  section(key: string, markdown: string): Promise<void>;
  finish(outcome: Exclude<Outcome, { kind: "running" }>): Promise<void>;
}
