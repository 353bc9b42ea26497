/**
 * The loop's own overhead per job, everything except model latency: the pipeline runs on the cli-tool
 * fixture with a scripted model (the stand-in answers at once) and the time spent inside model calls is
 * subtracted. Also prints the tokens sent per iteration and how much of them came from the prompt cache.
 * Usage: node bench/run.mjs loop [--runs N]
 */
import { startAnthropicStandIn } from "../../test/support/anthropic-standin/index.js";
import { runPipelineOn } from "../../test/support/pipeline-harness.js";
import { breakThenFix } from "../../test/support/scripted-models.js";
import type { ModelClient } from "../../src/model/types.js";
import { DockerSandboxProvider } from "../../src/sandbox/docker-sandbox-provider.js";
import type { SandboxProvider } from "../../src/sandbox/types.js";
import { silentLogger } from "../../src/logging/logger.js";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const KEY = "sk-ant-bench";
const overhead: number[] = [];
const harnessOnly: number[] = [];
const total: number[] = [];
const perIteration: { sent: number; cached: number }[][] = [];

for (let i = 0; i < runs; i++) {
  const anthropic = await startAnthropicStandIn({ apiKey: KEY });
  anthropic.script(...breakThenFix());
  let modelMs = 0;
  const timed = (model: ModelClient): ModelClient => ({
    model: model.model,
    turn: async (request, options) => {
      const started = performance.now();
      try {
        return await model.turn(request, options);
      } finally {
        modelMs += performance.now() - started;
      }
    },
  });
  // Time spent running the repository's own commands (the tests) inside the sandboxes.
  let commandMs = 0;
  const inner = new DockerSandboxProvider({ logger: silentLogger });
  const sandboxes: SandboxProvider = {
    prepare: (o) => inner.prepare(o),
    sweep: (o) => inner.sweep(o),
    start: async (o) => {
      const sandbox = await inner.start(o);
      return {
        jobId: sandbox.jobId,
        update: (u) => sandbox.update(u),
        dispose: () => sandbox.dispose(),
        run: async (command, runOptions) => {
          const result = await sandbox.run(command, runOptions);
          commandMs += result.durationMs;
          return result;
        },
      };
    },
  };
  const started = performance.now();
  const run = await runPipelineOn({ anthropic, apiKey: KEY, task: "add a --verbose flag to the CLI", wrapModel: timed, sandboxes });
  const elapsed = performance.now() - started;
  harnessOnly.push(elapsed - modelMs - commandMs);
  if (run.result.status !== "succeeded") throw new Error(`run ${i + 1} did not succeed: ${run.result.reason}`);
  total.push(elapsed);
  overhead.push(elapsed - modelMs);
  // breakThenFix: requests 0-2 are iteration 1, 3-4 iteration 2. Sent = everything the request carried.
  const usage = anthropic.requests.map((r) => r.usage).filter((u): u is NonNullable<typeof u> => Boolean(u));
  const sum = (xs: typeof usage) => ({
    sent: xs.reduce((n, u) => n + u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0), 0),
    cached: xs.reduce((n, u) => n + (u.cache_read_input_tokens ?? 0), 0),
  });
  perIteration.push([sum(usage.slice(0, 3)), sum(usage.slice(3))]);
  process.stderr.write(`run ${i + 1}: total ${elapsed.toFixed(0)} ms, model ${modelMs.toFixed(0)} ms, overhead ${(elapsed - modelMs).toFixed(0)} ms\n`);
  await run.cleanup();
  await anthropic.close();
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
console.log(`runs: ${runs} (cli-tool fixture, 2 iterations: sandbox start, baseline, 2 test runs, verification in a fresh sandbox)`);
console.log(`harness overhead per job (excluding model time): p50 ${(pct(overhead, 50) / 1000).toFixed(2)} s, p95 ${(pct(overhead, 95) / 1000).toFixed(2)} s`);
console.log(`  of which the harness itself (also excluding the repository's test commands): p50 ${(pct(harnessOnly, 50) / 1000).toFixed(2)} s, p95 ${(pct(harnessOnly, 95) / 1000).toFixed(2)} s`);
console.log(`whole job with the instant scripted model:       p50 ${(pct(total, 50) / 1000).toFixed(2)} s, p95 ${(pct(total, 95) / 1000).toFixed(2)} s`);
const it = [0, 1].map((k) => ({
  sent: perIteration.reduce((n, r) => n + r[k]!.sent, 0) / perIteration.length,
  cached: perIteration.reduce((n, r) => n + r[k]!.cached, 0) / perIteration.length,
}));
it.forEach((x, k) => console.log(`iteration ${k + 1}: ${x.sent.toFixed(0)} input tokens sent per iteration, ${((100 * x.cached) / Math.max(1, x.sent)).toFixed(0)}% read from the cache`));
