import { JobQueue } from "../../src/jobs/job-queue.js";
import { silentLogger } from "../../src/logging/logger.js";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve())));

describe("JobQueue", () => {
  test("runs at most `concurrency` jobs at once, in order", async () => {
    const queue = new JobQueue({ concurrency: 2, log: silentLogger });
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    gates.forEach((gate, i) =>
      queue.enqueue({ id: `j${i}`, key: `k${i}`, run: async () => { started.push(i); await gate.promise; } }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(queue.size).toEqual({ running: 2, waiting: 1 });
    gates[0]!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.resolve();
    gates[2]!.resolve();
    await queue.onIdle();
    expect(queue.size).toEqual({ running: 0, waiting: 0 });
  });

  test("refuses a second job for the same key while the first is active", async () => {
    const queue = new JobQueue({ concurrency: 1, log: silentLogger });
    const gate = deferred();
    expect(queue.enqueue({ id: "a", key: "repo#1", run: () => gate.promise }).accepted).toBe(true);
    expect(queue.enqueue({ id: "b", key: "repo#1", run: async () => {} })).toEqual({ accepted: false, activeJobId: "a" });
    gate.resolve();
    await queue.onIdle();
    expect(queue.enqueue({ id: "c", key: "repo#1", run: async () => {} }).accepted).toBe(true);
    await queue.onIdle();
  });

  test("a crashing job is logged, does not reject anything, and frees its slot", async () => {
    const errors: unknown[] = [];
    const log = { ...silentLogger, error: (obj: unknown) => errors.push(obj), child: () => log };
    const queue = new JobQueue({ concurrency: 1, log });
    queue.enqueue({ id: "boom", key: "k", run: async () => { throw new Error("boom"); } });
    let ran = false;
    queue.enqueue({ id: "next", key: "k2", run: async () => { ran = true; } });
    await queue.onIdle();
    expect(ran).toBe(true);
    expect(errors).toHaveLength(1);
  });

  test("cancel aborts a running job's signal and drops a queued one", async () => {
    const queue = new JobQueue({ concurrency: 1, log: silentLogger });
    let aborted = false;
    queue.enqueue({
      id: "long",
      key: "k1",
      run: (signal) => untilAborted(signal).then(() => { aborted = true; }),
    });
    let queuedRan = false;
    queue.enqueue({ id: "queued", key: "k2", run: async () => { queuedRan = true; } });
    expect(queue.cancel("k2")).toBe(true);
    expect(queue.cancel("k1")).toBe(true);
    expect(queue.cancel("nope")).toBe(false);
    await queue.onIdle();
    expect(aborted).toBe(true);
    expect(queuedRan).toBe(false);
  });

  test("close aborts running jobs and refuses new ones", async () => {
    const queue = new JobQueue({ concurrency: 1, log: silentLogger });
    queue.enqueue({ id: "a", key: "a", run: untilAborted });
    await queue.close();
    expect(() => queue.enqueue({ id: "b", key: "b", run: async () => {} })).toThrow(/shutting down/);
  });
});
