import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import type { GitHubStandIn } from "./index.js";

/**
 * ProbotOctokit for tests: no retries, no throttling. It must be the function form of `defaults`: with
 * the object form Probot's own throttle options (which carry no `enabled` key) override ours, and the
 * throttling plugin then spaces write requests a second or more apart.
 */
export const TestOctokit = ProbotOctokit.defaults((options: object) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** A real Probot configured for the stand-in by base URL, like GHE_HOST/GHE_PROTOCOL would. */
export function standInProbot(standIn: GitHubStandIn, options: { secret?: string } = {}): Probot {
  return new Probot({
    appId: standIn.appId,
    privateKey: standIn.privateKey,
    secret: options.secret ?? standIn.webhookSecret,
    baseUrl: standIn.apiUrl,
    log: pino({ level: "silent" }),
    Octokit: TestOctokit,
  });
}
