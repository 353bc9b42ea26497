/**
 * bench/localize: `node bench/run.mjs localize --data <jsonl> --mirrors <dir> [--limit N] [--out results.jsonl]`
 * Sub-benches: `node bench/run.mjs localize calibrate-tokens --dir <repo> ...`, `node bench/run.mjs localize speed --repo <dir>`.
 */
const sub = process.argv[2];
if (sub === "calibrate-tokens") {
  process.argv.splice(2, 1);
  await import("./calibrate-tokens.js");
} else if (sub === "inspect") {
  process.argv.splice(2, 1);
  await import("./inspect.js");
} else if (sub === "make-set") {
  process.argv.splice(2, 1);
  await import("./make-set.js");
} else if (sub === "quick") {
  process.argv.splice(2, 1);
  await import("./quick.js");
} else if (sub === "speed") {
  process.argv.splice(2, 1);
  await import("./speed.js");
} else {
  await import("./localize-bench.js");
}
