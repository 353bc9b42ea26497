import type { Forge, Permission, RepoRef } from "../github/forge.js";
import type { Logger } from "../logging/logger.js";
import { GATE_RECORD, RISK_GATE_CHECK_NAME, evaluateRiskGate, reviewersToLookUp, type RiskGateResult } from "../risk/gate.js";
import { CODEGEN_LABEL } from "../risk/labels.js";
import { TIERS, type Tier } from "../risk/types.js";

/**
 * Re-evaluate `codegen/risk-gate` for a codegen pull request after a review or a push. The tier comes from
 * the PR's `risk:*` label (set by the app when it opened the PR); whether codegen verified the head comes
 * from the record on its own gate check run for that commit, created when it delivered the change.
 */
export async function reevaluateRiskGate(
  input: { repo: RepoRef; pullNumber: number; appLogin: string },
  deps: { forge: Forge; log: Logger },
): Promise<RiskGateResult | null> {
  const { forge } = deps;
  const { repo } = input;
  const pull = await forge.getPullRequest(repo, input.pullNumber);
  const tier = TIERS.find((t) => pull.labels.includes(`risk:${t}`)) as Tier | undefined;
  if (!pull.headRef.startsWith("codegen/") || !pull.labels.includes(CODEGEN_LABEL) || !tier || pull.state !== "open") return null;

  const existing = await forge.listCheckRuns(repo, pull.headSha, RISK_GATE_CHECK_NAME);
  const ours = existing.filter((run) => Object.values(GATE_RECORD).includes(run.externalId as never));
  const record = ours[0]?.externalId ?? GATE_RECORD.personPush;
  const headPushedByPerson = record === GATE_RECORD.personPush;
  const verified = record === GATE_RECORD.verified;

  const reviews = await forge.listReviews(repo, pull.number);
  const permissions: Record<string, Permission> = {};
  for (const login of reviewersToLookUp(reviews, input.appLogin)) permissions[login] = await forge.getPermission(repo, login);
  const result = evaluateRiskGate({ tier, verified, headSha: pull.headSha, reviews, permissions, appLogin: input.appLogin, headPushedByPerson });

  const output = { status: "completed" as const, conclusion: result.conclusion, title: result.title, summary: result.summary, externalId: record };
  if (ours[0]) await forge.updateCheckRun(repo, ours[0].id, output);
  else await forge.createCheckRun(repo, { name: RISK_GATE_CHECK_NAME, headSha: pull.headSha, ...output });
  deps.log.info({ pull: pull.number, tier, conclusion: result.conclusion, headPushedByPerson }, "risk gate re-evaluated");
  return result;
}
