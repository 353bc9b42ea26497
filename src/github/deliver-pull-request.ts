import type { RepoConfig } from "../config/repo-config.js";
import { renderSelectionMarkdown } from "../context/render.js";
import { commitAll, push } from "../git/workspace.js";
import type { PipelineResult } from "../jobs/codegen-pipeline.js";
import type { Logger } from "../logging/logger.js";
import { codeownersForPaths } from "./codeowners-lookup.js";
import { GATE_RECORD, RISK_GATE_CHECK_NAME, evaluateRiskGate } from "../risk/gate.js";
import { RISK_LABELS } from "../risk/labels.js";
import { decidePolicy } from "../risk/policy.js";
import { renderGateSummary, renderRiskSection } from "../risk/render.js";
import type { Forge, PullRequestInfo, RepoRef } from "./forge.js";
import { renderPullRequestBody } from "./pr-body.js";
import { oneLine } from "./status-comment.js";

export interface DeliveryInput {
  repo: RepoRef;
  repoDir: string;
  cloneUrl: string;
  branch: string;
  /** The branch the pull request merges into. */
  baseBranch: string;
  issueNumber?: number;
  task: string;
  jobId: string;
  config: RepoConfig;
  result: PipelineResult;
  /** Continue this pull request (follow-up) instead of opening a new one. */
  existingPull?: PullRequestInfo;
  appLogin: string;
}

export interface Delivery {
  pull: PullRequestInfo;
  headSha: string;
  draft: boolean;
  labels: string[];
  gate: string;
}

/**
 * Push the change and open (or update) its pull request, labelled and gated by its risk tier. The
 * decisions come from the one policy table in risk/; this function only applies them.
 */
export async function deliverPullRequest(input: DeliveryInput, forge: Forge, log: Logger): Promise<Delivery> {
  const { result, repo } = input;
  const risk = result.risk!;
  const verified = result.status === "succeeded";
  const decision = decidePolicy({ tier: risk.tier, config: input.config, verified });

  const message = `${oneLine(input.task, 68)}\n\n${result.summary}\n\n${input.issueNumber ? `Refs #${input.issueNumber}\n` : ""}codegen job ${input.jobId}`;
  await commitAll(input.repoDir, message);
  const headSha = await push(input.repoDir, { remoteUrl: input.cloneUrl, branch: input.branch, token: await forge.installationToken() });
  log.info({ branch: input.branch, headSha }, "pushed");

  const sections = [
    ...(result.executed
      ? []
      : [{ title: "Not executed", body: "Codegen did not run this change, not even in its sandbox: changes at this risk tier are never executed. Review it by reading it." }]),
    { body: renderRiskSection(risk, decision) },
    ...(result.preExistingFailures.length
      ? [{ title: "Pre-existing failures", body: `These tests already failed on the base branch; this change did not cause them:\n${result.preExistingFailures.slice(0, 30).map((name) => `- \`${name.replace(/`/g, "'")}\``).join("\n")}` }]
      : []),
    ...(result.tamper.length
      ? [{ title: "⚠️ Test changes to review", body: result.tamper.map((f) => `- \`${f.path}\`: ${f.detail}`).join("\n") }]
      : []),
    ...(result.dependencyChange
      ? [{ title: "⚠️ Dependency manifest changed", body: "The change edits a manifest or lockfile. The sandbox did not install anything new: the tests ran against the base branch's dependencies." }]
      : []),
    ...(result.context ? [{ body: renderSelectionMarkdown(result.context) }] : []),
  ];
  const body = renderPullRequestBody({
    issueNumber: input.issueNumber,
    task: input.task,
    summary: result.summary,
    changedFiles: result.files.map((f) => ({ path: f.path, status: f.status })),
    before: result.before,
    after: result.after,
    iterations: result.iterations,
    usage: result.usage,
    costUsd: result.costUsd,
    model: result.model,
    sections,
    failing: verified ? undefined : { reason: result.reason, lastFailure: result.lastFailure },
    jobId: input.jobId,
  });
  const title = `${verified ? "" : "[failing] "}${oneLine(input.task, 90)}`;

  let pull: PullRequestInfo;
  if (input.existingPull) {
    await forge.updatePullRequest(repo, input.existingPull.number, { body });
    pull = await forge.getPullRequest(repo, input.existingPull.number);
  } else {
    pull = await forge.createPullRequest(repo, { head: input.branch, base: input.baseBranch, title, body, draft: decision.draft });
  }

  await forge.ensureLabels(repo, [...RISK_LABELS]);
  const stale = pull.labels.filter((l) => l.startsWith("risk:") && !decision.labels.includes(l));
  for (const label of stale) await forge.removeLabel(repo, pull.number, label);
  await forge.addLabels(repo, pull.number, decision.labels);

  const gate = evaluateRiskGate({ tier: risk.tier, verified, headSha, reviews: [], permissions: {}, appLogin: input.appLogin });
  await forge.createCheckRun(repo, {
    name: RISK_GATE_CHECK_NAME,
    headSha,
    status: "completed",
    conclusion: gate.conclusion,
    title: gate.title,
    summary: renderGateSummary(gate, risk),
    externalId: verified ? GATE_RECORD.verified : GATE_RECORD.unverified,
  });

  if (decision.requestCodeOwnerReview) {
    const owners = await codeownersForPaths(forge, repo, result.files.map((f) => f.path), [input.appLogin]);
    if (owners.users.length || owners.teams.length) {
      await forge.requestReviewers(repo, pull.number, owners).catch((error: unknown) => log.warn({ err: error }, "could not request reviewers"));
    }
  }
  if (decision.autoMerge) {
    await forge.enableAutoMerge(pull.nodeId, "SQUASH").catch((error: unknown) => log.warn({ err: error }, "could not enable auto-merge"));
  }
  return { pull, headSha, draft: decision.draft, labels: decision.labels, gate: gate.conclusion };
}
