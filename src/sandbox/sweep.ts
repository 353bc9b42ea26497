import type Dockerode from "dockerode";
import type { Logger } from "../logging/logger.js";
import { LABEL_CREATED, LABEL_SANDBOX } from "./labels.js";

/**
 * Remove this app's containers (label codegen.sandbox=1) created at least `olderThanMs` ago, with their
 * anonymous volumes. testcontainers' Ryuk stays off (it would need the Docker socket in a container), so
 * this is how crashed jobs are cleaned up: once at start-up (olderThanMs 0) and periodically.
 */
export async function sweepSandboxContainers(
  docker: Dockerode,
  options: { olderThanMs: number; logger: Logger; now?: number },
): Promise<number> {
  const now = options.now ?? Date.now();
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX}=1`] } });
  let removed = 0;
  for (const info of containers) {
    const labelled = Number(info.Labels?.[LABEL_CREATED]);
    const createdAt = Number.isFinite(labelled) && labelled > 0 ? labelled : info.Created * 1000;
    if (now - createdAt < options.olderThanMs) continue;
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      removed++;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) {
        options.logger.warn({ containerId: info.Id, err: error }, "could not remove leftover sandbox container");
      }
    }
  }
  if (removed > 0) options.logger.info({ removed }, "removed leftover sandbox containers");
  return removed;
}

/** Sweep every `intervalMs` (the timer does not keep the process alive). Returns a stop function. */
export function startPeriodicSweep(
  sweep: (options: { olderThanMs: number }) => Promise<number>,
  options: { intervalMs: number; olderThanMs: number; logger: Logger },
): () => void {
  const timer = setInterval(() => {
    sweep({ olderThanMs: options.olderThanMs }).catch((error: unknown) =>
      options.logger.warn({ err: error }, "sandbox sweep failed"),
    );
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
