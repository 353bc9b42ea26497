import type { ApplicationFunctionOptions, Probot } from "probot";
import { codegenApp } from "./app/codegen-app.js";
import { loadAppSettings } from "./config/app-settings.js";
import { JobQueue } from "./jobs/job-queue.js";
import type { Logger } from "./logging/logger.js";

/** How long running jobs get to unwind (abort, dispose their sandboxes) when the process is stopped. */
const SHUTDOWN_GRACE_MS = 20_000;

/** The Probot entry point (`probot run ./lib/index.js`): settings come from the environment. */
export default (app: Probot, options: ApplicationFunctionOptions): void => {
  const settings = loadAppSettings(process.env);
  const log = app.log as unknown as Logger;
  const queue = new JobQueue({ concurrency: settings.CODEGEN_CONCURRENCY, log });
  codegenApp({ settings, queue })(app, options);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      log.info({ signal, jobs: queue.size }, "stopping: cancelling running jobs");
      const timer = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
      timer.unref();
      queue.close().finally(() => process.exit(0));
    });
  }
};
