import { execFileSync } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Dockerode from "dockerode";
import { getContainerRuntimeClient } from "testcontainers";
import { runGit } from "../../src/git/safe-git.js";
import { LABEL_JOB } from "../../src/sandbox/labels.js";

export const SANDBOX_IMAGE = process.env.SANDBOX_IMAGE ?? "codegen-sandbox:latest";
export const FIXTURE_REPO = new URL("../fixtures/sandbox/repo/", import.meta.url).pathname;

export async function docker(): Promise<Dockerode> {
  return (await getContainerRuntimeClient()).container.dockerode;
}

export interface FixtureRepo {
  dir: string;
  git: (args: string[], input?: string | Buffer) => Promise<Buffer>;
  /** `git archive` of a commit: git's own view, so no host file comes in through a link. */
  archive: (treeish?: string) => Promise<Buffer>;
  cleanup: () => Promise<void>;
}

/** A throwaway git repository holding the fixture files, committed once. */
export async function makeFixtureRepo(prefix = "codegen-sandbox-repo-"): Promise<FixtureRepo> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(FIXTURE_REPO, dir, { recursive: true });
  const git = (args: string[], input?: string | Buffer): Promise<Buffer> => runGit(args, { cwd: dir, input });
  await git(["init", "-q"]);
  await git(["add", "-A"]);
  await git(["commit", "-q", "-m", "fixture"]);
  return {
    dir,
    git,
    archive: (treeish = "HEAD") => git(["archive", "--format=tar", treeish]),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Containers (any state) labelled with this job. */
export async function jobContainers(jobId: string): Promise<Dockerode.ContainerInfo[]> {
  return (await docker()).listContainers({ all: true, filters: { label: [`${LABEL_JOB}=${jobId}`] } });
}

/** Host processes whose command line contains `marker` (container processes are visible on this host). */
export function hostProcessesMatching(marker: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}

/** Poll until `check` holds (container teardown is asynchronous inside the daemon). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

export const text = (buffer: Buffer): string => buffer.toString("utf8");
