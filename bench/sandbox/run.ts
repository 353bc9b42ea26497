/**
 * Sandbox overhead benchmark (not a test): what a job pays beyond its own test run time.
 *
 *   node bench/run.mjs sandbox [--cold 20] [--warm 50] [--jobs 16] [--concurrency 4] [--image codegen-sandbox:latest] [--json]
 *
 * Prints p50/p95 of cold start (start + copy workspace + first trivial command), warm iteration (update one
 * changed file + run a trivial command), container start alone, peak memory per sandbox, and jobs per
 * minute with N concurrent jobs (a job = cold start + 3 warm iterations running the fixture's test + dispose).
 */
import { execFileSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { getContainerRuntimeClient } from "testcontainers";
import { DockerSandboxProvider } from "../../src/sandbox/docker-sandbox-provider.js";
import type { DockerSandbox } from "../../src/sandbox/docker-sandbox.js";
import { HardenedContainer } from "../../src/sandbox/hardened-container.js";
import { resolveLimits } from "../../src/sandbox/limits.js";
import { tarFromFiles, type FileToTar } from "../../src/sandbox/workspace-tar.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const COLD = Number(option("cold", "20"));
const WARM = Number(option("warm", "50"));
const JOBS = Number(option("jobs", "16"));
const CONCURRENCY = Number(option("concurrency", "4"));
const IMAGE = option("image", "codegen-sandbox:latest");
const JSON_OUT = args.includes("--json");

const FIXTURE = new URL("../../test/fixtures/sandbox/repo/", import.meta.url).pathname;
const limits = { memoryBytes: 512 * 1024 ** 2, commandTimeoutMs: 60_000 };
const run = `bench-${process.pid}`;

async function fixtureFiles(dir = FIXTURE): Promise<FileToTar[]> {
  const files: FileToTar[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await fixtureFiles(full)));
    else files.push({ path: relative(FIXTURE, full), content: await readFile(full) });
  }
  return files;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const summary = (samples: number[]) => ({
  n: samples.length,
  p50: Math.round(percentile(samples, 50)),
  p95: Math.round(percentile(samples, 95)),
  min: Math.round(Math.min(...samples)),
  max: Math.round(Math.max(...samples)),
});
const now = (): number => performance.now();

async function main(): Promise<void> {
  const provider = new DockerSandboxProvider({ limits });
  const files = await fixtureFiles();
  const workspace = await tarFromFiles(files);
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  let counter = 0;
  const nextJob = (): string => `${run}-${counter++}`;

  // Warm the client and the image cache once (not measured).
  const warmup = await provider.startSandbox({ jobId: nextJob(), image: IMAGE, workspace });
  await warmup.run("true");
  await warmup.dispose();

  // Container start alone (testcontainers start of the hardened container, then removal).
  const starts: number[] = [];
  for (let i = 0; i < COLD; i++) {
    const t = now();
    const started = await new HardenedContainer(IMAGE).withJob(nextJob()).withLimits(resolveLimits(limits)).start();
    starts.push(now() - t);
    await docker.getContainer(started.getId()).remove({ force: true, v: true });
  }

  // Cold start: start + copy the workspace + first trivial command.
  const cold: number[] = [];
  for (let i = 0; i < COLD; i++) {
    const t = now();
    const sandbox = await provider.startSandbox({ jobId: nextJob(), image: IMAGE, workspace });
    const result = await sandbox.run("true");
    cold.push(now() - t);
    if (result.exitCode !== 0) throw new Error("trivial command failed");
    await sandbox.dispose();
  }

  // Warm iteration: send one changed file, run a trivial command.
  const warm: number[] = [];
  const warmExec: number[] = [];
  const sandbox = await provider.startSandbox({ jobId: nextJob(), image: IMAGE, workspace });
  for (let i = 0; i < WARM; i++) {
    const tar = await tarFromFiles([{ path: "src/add.js", content: `export function add(a, b) {\n  return a + b; // ${i}\n}\n` }]);
    const t = now();
    await sandbox.update({ tar });
    const result = await sandbox.run("true");
    warm.push(now() - t);
    warmExec.push(result.durationMs);
  }
  const restartsDuringWarm = sandbox.containerStarts - 1;

  // Peak memory of one sandbox after running the fixture's test.
  await sandbox.run("node test/add.test.js");
  const peak = await peakMemory(docker, sandbox);
  await sandbox.dispose();

  // Throughput: N concurrent jobs, each cold start + 3 warm iterations (fixture test) + dispose.
  const jobDurations: number[] = [];
  const job = async (): Promise<void> => {
    const t = now();
    const s = await provider.startSandbox({ jobId: nextJob(), image: IMAGE, workspace });
    try {
      for (let i = 0; i < 3; i++) {
        await s.update({ tar: await tarFromFiles([{ path: "src/add.js", content: `export const add = (a, b) => a + b; // ${i}\n` }]) });
        const r = await s.run("node test/add.test.js");
        if (r.exitCode !== 0) throw new Error(`fixture test failed: ${r.output.toString()}`);
      }
    } finally {
      await s.dispose();
    }
    jobDurations.push(now() - t);
  };
  let remaining = JOBS;
  const t0 = now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (remaining-- > 0) await job();
    }),
  );
  const elapsedMs = now() - t0;
  const jobsPerMinute = (JOBS / elapsedMs) * 60_000;

  const leftovers = await docker.listContainers({ all: true, filters: { label: ["codegen.sandbox=1"] } });
  const ours = leftovers.filter((c) => c.Labels["codegen.job"]?.startsWith(run));

  const figures = {
    machine: { cpus: Number(execFileSync("nproc").toString().trim()), image: IMAGE },
    coldStartMs: summary(cold),
    warmIterationMs: summary(warm),
    warmExecOnlyMs: summary(warmExec),
    containerStartMs: summary(starts),
    peakMemory: peak,
    throughput: { jobs: JOBS, concurrency: CONCURRENCY, elapsedS: Number((elapsedMs / 1000).toFixed(1)), jobsPerMinute: Number(jobsPerMinute.toFixed(1)), jobMs: summary(jobDurations) },
    restartsDuringWarm,
    leftoverContainers: ours.length,
  };
  if (JSON_OUT) {
    console.log(JSON.stringify(figures, null, 2));
    return;
  }
  const row = (name: string, s: ReturnType<typeof summary>): string =>
    `${name.padEnd(34)} p50 ${String(s.p50).padStart(5)} ms   p95 ${String(s.p95).padStart(5)} ms   (n=${s.n}, min ${s.min}, max ${s.max})`;
  console.log(`sandbox bench on ${figures.machine.cpus} cores, image ${IMAGE}`);
  console.log(row("cold start (start+copy+1st cmd)", figures.coldStartMs));
  console.log(row("warm iteration (update+cmd)", figures.warmIterationMs));
  console.log(row("  of which the exec itself", figures.warmExecOnlyMs));
  console.log(row("container start alone", figures.containerStartMs));
  console.log(`${"peak memory per sandbox".padEnd(34)} container cgroup ${peak.containerMiB} MiB, shim RSS ${peak.shimMiB ?? "n/a"} MiB`);
  console.log(
    `${"throughput".padEnd(34)} ${figures.throughput.jobsPerMinute} jobs/min (${JOBS} jobs, ${CONCURRENCY} concurrent, ${figures.throughput.elapsedS} s; job p50 ${figures.throughput.jobMs.p50} ms)`,
  );
  console.log(`targets: warm p50 < 250 ms: ${figures.warmIterationMs.p50 < 250 ? "yes" : "NO"}; cold p50 < 1500 ms: ${figures.coldStartMs.p50 < 1500 ? "yes" : "NO"}`);
  if (restartsDuringWarm > 0) console.log(`warning: the warm sandbox restarted ${restartsDuringWarm} times`);
  if (ours.length > 0) console.log(`warning: ${ours.length} containers left behind`);
}

/** The container's memory cgroup peak (max_usage on cgroup v1, usage on v2) and its shim's RSS. */
async function peakMemory(
  docker: import("dockerode"),
  sandbox: DockerSandbox,
): Promise<{ containerMiB: number; shimMiB: number | undefined }> {
  const id = sandbox.containerId!;
  const stats = (await docker.getContainer(id).stats({ stream: false, "one-shot": true } as { stream: false })) as {
    memory_stats: { max_usage?: number; usage?: number };
  };
  const bytes = stats.memory_stats.max_usage ?? stats.memory_stats.usage ?? 0;
  let shimMiB: number | undefined;
  try {
    const ps = execFileSync("ps", ["-eo", "rss=,args="], { encoding: "utf8" });
    const line = ps.split("\n").find((l) => l.includes("containerd-shim") && l.includes(id));
    if (line) shimMiB = Number((Number(line.trim().split(/\s+/)[0]) / 1024).toFixed(1));
  } catch {
    shimMiB = undefined;
  }
  return { containerMiB: Number((bytes / 1024 ** 2).toFixed(1)), shimMiB };
}

await main();
