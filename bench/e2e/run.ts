/**
 * Times the /codegen path on the cli-tool fixture with the scripted model (no model latency):
 * webhook → response (acknowledged: 👀 + status comment exist), and webhook → pull request opened.
 * Usage: node bench/run.mjs e2e [--runs N]
 */
import { startAppHarness } from "../../test/support/app-harness.js";
import { breakThenFix } from "../../test/support/scripted-models.js";
import { issueCommentCreated } from "../../test/support/webhooks.js";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const ack: number[] = [];
const toPr: number[] = [];

for (let i = 0; i < runs; i++) {
  const h = await startAppHarness();
  try {
    const repo = await h.seedCliTool();
    h.github.addIssue(repo.ref, { title: "Add a --verbose flag", body: "", user: "alice" });
    h.anthropic.script(...breakThenFix());
    const c = h.github.addComment(repo.ref, 1, { body: "/codegen add a --verbose flag to the CLI", user: "alice" });
    const started = performance.now();
    const response = await h.deliver("issue_comment", issueCommentCreated(h.github, repo.ref, c.id));
    const acked = performance.now() - started;
    if (response.status !== 200 || h.github.reactions(c.id).length !== 1) throw new Error(`not acknowledged: ${response.status}`);
    await h.queue.onIdle();
    const pulls = await h.github.pulls(repo.ref);
    if (pulls.length !== 1) throw new Error("no pull request was opened");
    ack.push(acked);
    toPr.push(performance.now() - started);
    process.stderr.write(`run ${i + 1}: ack ${acked.toFixed(0)} ms, PR ${(performance.now() - started).toFixed(0)} ms\n`);
  } finally {
    const leftovers = await h.close();
    if (leftovers.length) throw new Error(`sandboxes left behind: ${leftovers.join(", ")}`);
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
console.log(`runs: ${runs} (2 iterations each: the first edit breaks a test, the second fixes it)`);
console.log(`webhook → acknowledged (response, 👀, status comment): p50 ${pct(ack, 50).toFixed(0)} ms, p95 ${pct(ack, 95).toFixed(0)} ms`);
console.log(`webhook → pull request opened:                        p50 ${(pct(toPr, 50) / 1000).toFixed(2)} s, p95 ${(pct(toPr, 95) / 1000).toFixed(2)} s`);
