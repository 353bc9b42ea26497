/**
 * Speed of `codegen localize` on one repository: a cold run (fresh process, empty cache) and cached runs (fresh
 * process each, same commit). Each run is a child process that calls the CLI's main() in-process.
 * Usage: node bench/run.mjs localize speed --repo <checkout> [--task-file <file>] [--runs 3] [--lib <dir>]
 * --lib <dir>: use a compiled build (`npx tsc -p tsconfig.build.json --outDir <dir>`, inside the checkout so
 * that node_modules resolve) instead of transpiling on the fly, as the installed CLI runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    repo: { type: "string" },
    "task-file": { type: "string" },
    runs: { type: "string", default: "3" },
    lib: { type: "string" },
    child: { type: "boolean", default: false },
  },
});
if (!values.repo) {
  console.error("usage: node bench/run.mjs localize speed --repo <checkout> [--task-file <file>] [--runs 3]");
  process.exit(2);
}

if (values.child) {
  const importStarted = performance.now();
  const { main } = (values.lib
    ? await import(pathToFileURL(resolve(values.lib, "cli/main.js")).href)
    : await import("../../src/cli/main.js")) as typeof import("../../src/cli/main.js");
  const started = performance.now();
  const importMs = Math.round(started - importStarted);
  let out = "";
  const code = await main(["localize", "--repo", values.repo, "--task-file", values["task-file"]!, "--json", "--limit", "5"], {
    stdout: (t) => (out += t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  });
  const result = JSON.parse(out) as { files: { path: string }[] };
  console.log(JSON.stringify({ code, importMs, commandMs: Math.round(performance.now() - started), top: result.files.map((f) => f.path) }));
} else {
  const work = mkdtempSync(join(tmpdir(), "codegen-localize-speed-"));
  const taskFile = values["task-file"] ?? join(work, "task.md");
  if (!values["task-file"]) {
    writeFileSync(taskFile, "The parser crashes on a component with an each block inside a slot: `TypeError: Cannot read properties of undefined (reading 'length')`\n");
  }
  const env = { ...process.env, CODEGEN_CACHE_DIR: join(work, "cache") };
  const runs = Number(values.runs);
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const child = spawnSync(process.execPath, [join(import.meta.dirname, "..", "run.mjs"), "localize", "speed", "--child", "--repo", values.repo, "--task-file", taskFile, ...(values.lib ? ["--lib", values.lib] : [])], {
        env,
        encoding: "utf8",
      });
      const wall = Math.round(performance.now() - started);
      if (child.status !== 0) throw new Error(child.stderr);
      const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { importMs: number; commandMs: number; top: string[] };
      console.log(
        `${i === 0 ? "cold  " : "cached"}  localize command: ${result.commandMs} ms;  loading the CLI's modules: ${result.importMs} ms;` +
          `  whole process: ${wall} ms  (top: ${result.top.slice(0, 3).join(", ")})`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
