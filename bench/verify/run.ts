/**
 * Parse time of the verify stage at the sandbox's output cap: each captured fixture repeated to 1 MiB, plus
 * adversarial outputs (a million newlines, long runs of spaces) that would expose a quadratic regex.
 * Usage: node bench/run.mjs verify [megabytes]
 */
import { readFileSync } from "node:fs";
import { parseTestOutput } from "../../src/verify/parse-test-output.js";
import { failureSignature } from "../../src/verify/failure-signature.js";
import { renderFailureReport } from "../../src/verify/render-failure-report.js";
import type { CommandResult } from "../../src/sandbox/types.js";

const megabytes = Number(process.argv[2] ?? 1);
const size = Math.floor(megabytes * 1024 * 1024);
const fixtures = new URL("../../test/fixtures/test-output/", import.meta.url);

const result = (output: Buffer): CommandResult => ({
  exitCode: 1,
  stdout: output,
  stderr: Buffer.alloc(0),
  output,
  timedOut: false,
  truncated: true,
  oomKilled: false,
  durationMs: 0,
});

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

const cases: [string, string][] = [
  ["jest/failing.txt", "npx jest"],
  ["vitest/failing.txt", "npx vitest run"],
  ["mocha/failing.txt", "npx mocha"],
  ["node-test/failing-default-node20.txt", "node --test"],
  ["node-test/failing-spec-node20.txt", "node --test"],
  ["pytest/failing.txt", "python3 -m pytest"],
  ["go/failing-verbose.txt", "go test -v ./..."],
];

console.log(`input size: ${(size / 1024 / 1024).toFixed(2)} MiB`);
console.log("case".padEnd(42), "parse ms".padStart(9), "render+signature ms".padStart(20), "failures".padStart(9));
for (const [id, command] of cases) {
  const one = readFileSync(new URL(id, fixtures));
  const big = Buffer.concat(Array.from({ length: Math.ceil(size / one.length) }, () => one)).subarray(0, size);
  const [report, parseMs] = time(() => parseTestOutput(command, result(big)));
  const [, renderMs] = time(() => {
    renderFailureReport(report, { maxTokens: 4000 });
    failureSignature(report);
  });
  console.log(id.padEnd(42), parseMs.toFixed(0).padStart(9), renderMs.toFixed(0).padStart(20), String(report.failures.length).padStart(9));
}

const adversarial: [string, string][] = [
  ["newlines only", "\n".repeat(size)],
  ["one line without breaks", "x".repeat(size)],
  ["long runs of leading spaces", `${" ".repeat(2000)}FAIL x\n`.repeat(Math.floor(size / 2008))],
  ["long runs of inner spaces", `FAIL x${" ".repeat(2000)}y ✖ a${" ".repeat(2000)}b\n`.repeat(Math.floor(size / 4014))],
];
const commands = ["npx jest", "npx vitest run", "npx mocha", "node --test", "python3 -m pytest", "go test ./..."];
for (const [name, text] of adversarial) {
  const output = Buffer.from(text);
  const times = commands.map((command) => time(() => parseTestOutput(command, result(output)))[1]);
  console.log(`${name.padEnd(42)} slowest parser ${Math.max(...times).toFixed(0)} ms, all six ${times.reduce((a, b) => a + b, 0).toFixed(0)} ms`);
}
