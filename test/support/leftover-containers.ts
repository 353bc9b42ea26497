import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Containers (running or not) that belong to these jobs: the job's own sandbox, its verification
 * sandboxes and its dependency preparation. After a job ends this must be empty.
 */
export async function leftoverContainers(jobIds: readonly string[]): Promise<string[]> {
  if (jobIds.length === 0) return [];
  const { stdout } = await run("docker", ["ps", "-a", "--filter", "label=codegen.job", "--format", '{{.ID}} {{.Label "codegen.job"}}']);
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(" ") as [string, string])
    .filter(([, job]) => jobIds.some((id) => job === id || job.startsWith(`${id}-`)))
    .map(([id, job]) => `${id} (${job})`);
}

/** Job ids named in the app's status comments (`<!-- codegen:status job=… -->`). */
export function jobIdsIn(bodies: readonly string[]): string[] {
  return bodies.flatMap((body) => [...body.matchAll(/codegen:status job=([\w.-]+)/g)].map((m) => m[1]!));
}
