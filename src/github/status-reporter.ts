import type { Logger } from "../logging/logger.js";
import type { JobProgress, Outcome, ProgressReporter, Stage, StageState } from "../jobs/progress.js";
import { STAGES } from "../jobs/progress.js";
import type { Forge, RepoRef } from "./forge.js";
import { renderStatusComment } from "./status-comment.js";

/**
 * Keeps the one status comment in step with the job. Edits are coalesced (at most one in flight, the
 * latest state wins) so a chatty job never floods the API; `finish` always lands the final state.
 */
export class StatusCommentReporter implements ProgressReporter {
  readonly progress: JobProgress;
  readonly #forge: Forge;
  readonly #repo: RepoRef;
  readonly #commentId: number;
  readonly #log: Logger;
  #inFlight: Promise<void> | null = null;
  #dirty = false;

  constructor(options: { forge: Forge; repo: RepoRef; commentId: number; progress: JobProgress; log: Logger }) {
    this.#forge = options.forge;
    this.#repo = options.repo;
    this.#commentId = options.commentId;
    this.progress = options.progress;
    this.#log = options.log;
  }

  async stage(stage: Stage, state: StageState, detail?: string): Promise<void> {
    // Entering a stage closes the ones before it that were still open.
    if (state === "running") {
      for (const earlier of STAGES.slice(0, STAGES.indexOf(stage))) {
        if (this.progress.stages[earlier].state === "running") this.progress.stages[earlier] = { ...this.progress.stages[earlier], state: "done" };
      }
    }
    this.progress.stages[stage] = { state, detail };
    this.#schedule();
  }

  async section(key: string, markdown: string): Promise<void> {
    const existing = this.progress.sections.find((s) => s.key === key);
    if (existing) existing.markdown = markdown;
    else this.progress.sections.push({ key, markdown });
    this.#schedule();
  }

  async finish(outcome: Exclude<Outcome, { kind: "running" }>): Promise<void> {
    for (const stage of STAGES) {
      if (this.progress.stages[stage].state === "running") {
        this.progress.stages[stage].state = outcome.kind === "succeeded" ? "done" : "failed";
      }
    }
    this.progress.outcome = outcome;
    this.#schedule();
    await this.flush();
  }

  /** Wait until the comment shows the latest state. */
  async flush(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  #schedule(): void {
    this.#dirty = true;
    if (this.#inFlight) return;
    this.#inFlight = this.#drain().finally(() => {
      this.#inFlight = null;
    });
  }

  async #drain(): Promise<void> {
    while (this.#dirty) {
      this.#dirty = false;
      try {
        await this.#forge.updateComment(this.#repo, this.#commentId, renderStatusComment(this.progress));
      } catch (error) {
        // Progress is best effort; the job itself must not fail because an edit did.
        this.#log.warn({ err: error }, "could not update the status comment");
      }
    }
  }
}
