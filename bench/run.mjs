#!/usr/bin/env node
// Usage: node bench/run.mjs <name> [args...]  — runs bench/<name>/run.ts (TypeScript, transpiled on the fly).
import { register } from "node:module";
import { pathToFileURL } from "node:url";
import { existsSync } from "node:fs";

const [name, ...args] = process.argv.slice(2);
const entry = new URL(`./${name}/run.ts`, import.meta.url);
if (!name || !existsSync(entry)) {
  console.error("usage: node bench/run.mjs <name> [args...]   (bench/<name>/run.ts must exist)");
  process.exit(2);
}
register("./ts-loader.mjs", pathToFileURL(new URL(".", import.meta.url).pathname + "/"));
process.argv = [process.argv[0], entry.pathname, ...args];
process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
await import(entry.href);
