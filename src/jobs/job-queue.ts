import type { Logger } from "../logging/logger.js";

export interface QueuedJob {
  id: string;
  /** One active job per key (e.g. repository + issue); a second one is refused while the first runs. */
  key: string;
  run(signal: AbortSignal): Promise<void>;
}

export type EnqueueResult = { accepted: true; position: number } | { accepted: false; activeJobId: string };

/**
 * An in-process queue with a concurrency limit. Webhook handlers only enqueue; jobs run outside the
 * request. Persistence and multi-machine queues come later behind the same surface.
 */
export class JobQueue {
  readonly #concurrency: number;
  readonly #log: Logger;
  readonly #waiting: QueuedJob[] = [];
  readonly #running = new Map<string, { job: QueuedJob; controller: AbortController; done: Promise<void> }>();
  readonly #idleWaiters: (() => void)[] = [];
  #closed = false;

  constructor(options: { concurrency: number; log: Logger }) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError("JobQueue concurrency must be a positive integer");
    }
    this.#concurrency = options.concurrency;
    this.#log = options.log;
  }

  enqueue(job: QueuedJob): EnqueueResult {
    if (this.#closed) throw new Error("the job queue is shutting down; try again after the restart");
    const active = this.activeJobFor(job.key);
    if (active) return { accepted: false, activeJobId: active };
    this.#waiting.push(job);
    const position = this.#waiting.length;
    this.#pump();
    return { accepted: true, position: this.#running.has(job.id) ? 0 : position };
  }

  /** The id of the queued or running job for this key, if any. */
  activeJobFor(key: string): string | undefined {
    for (const { job } of this.#running.values()) if (job.key === key) return job.id;
    return this.#waiting.find((job) => job.key === key)?.id;
  }

  /** Abort the job for this key (queued jobs are dropped, running ones get their signal aborted). */
  cancel(key: string): boolean {
    const index = this.#waiting.findIndex((job) => job.key === key);
    if (index >= 0) {
      this.#waiting.splice(index, 1);
      return true;
    }
    for (const entry of this.#running.values()) {
      if (entry.job.key === key) {
        entry.controller.abort(new Error("cancelled by /codegen cancel"));
        return true;
      }
    }
    return false;
  }

  get size(): { running: number; waiting: number } {
    return { running: this.#running.size, waiting: this.#waiting.length };
  }

  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void> {
    if (this.#running.size === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stop accepting jobs, abort running ones, wait for them to unwind. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#waiting.length = 0;
    for (const entry of this.#running.values()) entry.controller.abort(new Error("the app is shutting down"));
    await Promise.allSettled([...this.#running.values()].map((entry) => entry.done));
  }

  #pump(): void {
    while (this.#running.size < this.#concurrency && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      const controller = new AbortController();
      const done = Promise.resolve()
        .then(() => job.run(controller.signal))
        .catch((error: unknown) => {
          // Jobs report their own failures; anything reaching here is a bug, logged, never unhandled.
          this.#log.error({ err: error, jobId: job.id }, "job crashed");
        })
        .finally(() => {
          this.#running.delete(job.id);
          this.#pump();
          if (this.#running.size === 0 && this.#waiting.length === 0) {
            for (const resolve of this.#idleWaiters.splice(0)) resolve();
          }
        });
      this.#running.set(job.id, { job, controller, done });
    }
  }
}
