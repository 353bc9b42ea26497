/**
 * Fits the token estimator (src/context/token-count.ts) against @anthropic-ai/tokenizer on real source files
 * and prints the coefficients and the relative error of the shipped estimator.
 * Usage: node bench/run.mjs localize/calibrate-tokens --dir <repo> [--dir <repo> ...] [--max 400]
 */
import { readFileSync, readdirSync, lstatSync } from "node:fs";
import { join, extname } from "node:path";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { estimateFromFeatures, tokenFeatures, type TokenFeatures } from "../../src/context/token-count.js";

const require = createRequire(import.meta.url);
const { countTokens: claudeTokens } = require("@anthropic-ai/tokenizer") as { countTokens: (t: string) => number };

const { values } = parseArgs({ options: { dir: { type: "string", multiple: true }, max: { type: "string", default: "400" } } });
const dirs = values.dir ?? ["src"];
const max = Number(values.max);
const EXTS = new Set([".ts", ".tsx", ".js", ".py", ".go", ".java", ".rb", ".md", ".json", ".rs", ".c"]);

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) walk(path, out);
    else if (stat.isFile() && EXTS.has(extname(name)) && stat.size < 200_000) out.push(path);
  }
}

const files: string[] = [];
for (const dir of dirs) walk(dir, files);
const step = Math.max(1, Math.floor(files.length / max));
const sample = files.filter((_, i) => i % step === 0).slice(0, max);

const rows: { f: TokenFeatures; y: number }[] = [];
for (const path of sample) {
  const text = readFileSync(path, "utf8");
  rows.push({ f: tokenFeatures(text), y: claudeTokens(text) });
}

// Least squares over the features (normal equations, Gaussian elimination): small and exact enough.
const keys: (keyof TokenFeatures)[] = ["wordPieces", "digits", "punctuation", "newlines", "indents", "nonAscii"];
const n = keys.length;
const a = Array.from({ length: n }, () => new Array(n + 1).fill(0));
for (const { f, y } of rows) {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i][j] += f[keys[i]] * f[keys[j]];
    a[i][n] += f[keys[i]] * y;
  }
}
for (let i = 0; i < n; i++) a[i][i] += 1e-6;
for (let i = 0; i < n; i++) {
  let pivot = i;
  for (let r = i + 1; r < n; r++) if (Math.abs(a[r][i]) > Math.abs(a[pivot][i])) pivot = r;
  [a[i], a[pivot]] = [a[pivot], a[i]];
  for (let r = 0; r < n; r++) {
    if (r === i || a[i][i] === 0) continue;
    const factor = a[r][i] / a[i][i];
    for (let c = i; c <= n; c++) a[r][c] -= factor * a[i][c];
  }
}
const fitted = Object.fromEntries(keys.map((k, i) => [k, +(a[i][n] / (a[i][i] || 1)).toFixed(3)]));

let sumTrue = 0;
let sumEst = 0;
let sumChars = 0;
const errors: number[] = [];
for (const [i, { f, y }] of rows.entries()) {
  const estimate = estimateFromFeatures(f, 1);
  sumTrue += y;
  sumEst += estimate;
  sumChars += readFileSync(sample[i], "utf8").length;
  if (y > 50) errors.push((estimate - y) / y);
}
errors.sort((x, y) => x - y);
const pct = (q: number) => (100 * errors[Math.floor(q * (errors.length - 1))]).toFixed(1) + "%";
console.log(`files: ${rows.length}, tokens (claude-2 tokenizer): ${sumTrue}, chars/token: ${(sumChars / sumTrue).toFixed(2)}`);
console.log(`fitted coefficients: ${JSON.stringify(fitted)}`);
console.log(`shipped estimator without margin: total ${sumEst} (${((100 * (sumEst - sumTrue)) / sumTrue).toFixed(1)}%),` +
  ` per-file error p10 ${pct(0.1)} median ${pct(0.5)} p90 ${pct(0.9)}`);
