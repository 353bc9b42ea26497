import type { Permission, ReviewInfo } from "../github/forge.js";
import { POLICY_TABLE } from "./policy.js";
import type { Tier } from "./types.js";

export const RISK_GATE_CHECK_NAME = "codegen/risk-gate";

/** What codegen records on its gate check run (GitHub's external_id): whether it verified that commit itself. */
export const GATE_RECORD = { verified: "codegen:verified", unverified: "codegen:unverified", personPush: "codegen:person-push" } as const;

export interface RiskGateInput {
  tier: Tier;
  /** Verification of the current head passed. */
  verified: boolean;
  headSha: string;
  reviews: readonly ReviewInfo[];
  /**
   * Repository permission of review authors (from `Forge.getPermission`), keyed by login. Authors that are
   * missing count as having no write access. `reviewersToLookUp` says whose permission is needed.
   */
  permissions: Readonly<Record<string, Permission>>;
  /** The app's login (e.g. "codegen[bot]"): its reviews never count, whatever GitHub says about it. */
  appLogin: string;
  /**
   * The head commit was pushed by a person after codegen opened the pull request, so codegen never verified
   * it. High and critical still need a writer's approval of it; lower tiers get a neutral result that says
   * the new commits rely on the repository's own checks and review.
   */
  headPushedByPerson?: boolean;
}

export interface RiskGateResult {
  conclusion: "success" | "action_required" | "failure" | "neutral";
  title: string;
  summary: string;
  /** Human writers whose approval of the head commit satisfied the gate. */
  approvedBy: string[];
}

const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The app appears as "name[bot]" in reviews and may be configured as "name". */
function isApp(login: string, appLogin: string): boolean {
  const bare = (s: string) => s.toLowerCase().replace(/\[bot\]$/, "");
  return bare(login) === bare(appLogin);
}

const canWrite = (permission: Permission | undefined) => permission === "write" || permission === "admin";

function permissionOf(permissions: Readonly<Record<string, Permission>>, login: string): Permission | undefined {
  const key = Object.keys(permissions).find((k) => sameLogin(k, login));
  return key === undefined ? undefined : permissions[key];
}

/**
 * Each human's standing review, as GitHub counts it: the latest APPROVED, CHANGES_REQUESTED or DISMISSED
 * review; COMMENTED and PENDING reviews never replace an earlier decision.
 */
export function latestDecisiveReviews(reviews: readonly ReviewInfo[]): ReviewInfo[] {
  const latest = new Map<string, ReviewInfo>();
  const ordered = [...reviews].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.id - b.id);
  for (const review of ordered) {
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    latest.set(review.author.toLowerCase(), review);
  }
  return [...latest.values()];
}

/** Logins whose permission the gate needs: humans (not the app, not bots) with a standing decisive review. */
export function reviewersToLookUp(reviews: readonly ReviewInfo[], appLogin: string): string[] {
  return latestDecisiveReviews(reviews)
    .filter((r) => !r.authorIsBot && !isApp(r.author, appLogin) && (r.state === "APPROVED" || r.state === "CHANGES_REQUESTED"))
    .map((r) => r.author);
}

const short = (sha: string) => sha.slice(0, 7);

/**
 * The codegen/risk-gate check: success for low to medium once verified; for high and critical, action
 * required until a human with write access approves the current head commit. Bots and the app never count;
 * an approval of an older commit does not count; a standing "changes requested" from a writer blocks.
 */
export function evaluateRiskGate(input: RiskGateInput): RiskGateResult {
  const { tier, headSha, reviews, permissions, appLogin, headPushedByPerson } = input;
  if (headPushedByPerson && !POLICY_TABLE[tier].approvalRequired) {
    return {
      conclusion: "neutral",
      title: `Risk ${tier}: new commits not verified by codegen`,
      summary: `The head commit ${short(headSha)} was pushed after codegen verified its change; codegen did not run it. Rely on the repository's own checks and review for the new commits.`,
      approvedBy: [],
    };
  }
  // A person's push needs no codegen verification to be reviewed: approval rules below decide.
  const verified = input.verified || Boolean(headPushedByPerson);
  if (!verified) {
    return {
      conclusion: "failure",
      title: `Risk ${tier}: verification did not pass`,
      summary: `Verification of ${short(headSha)} did not pass, so this pull request cannot be merged. Fix the failures and push again.`,
      approvedBy: [],
    };
  }
  if (!POLICY_TABLE[tier].approvalRequired) {
    return {
      conclusion: "success",
      title: `Risk ${tier}: verified`,
      summary: `Risk tier **${tier}**: verification passed for ${short(headSha)}. ${POLICY_TABLE[tier].summary}`,
      approvedBy: [],
    };
  }

  const standing = latestDecisiveReviews(reviews);
  const notes: string[] = [];
  const approvedBy: string[] = [];
  const blockedBy: string[] = [];
  for (const review of standing) {
    const who = `@${review.author}`;
    if (review.authorIsBot || isApp(review.author, appLogin)) {
      if (review.state === "APPROVED") notes.push(`${who} is a bot or the app itself: its approval never counts.`);
      continue;
    }
    const writer = canWrite(permissionOf(permissions, review.author));
    if (review.state === "CHANGES_REQUESTED" && writer) {
      blockedBy.push(review.author);
      notes.push(`${who} requested changes.`);
    } else if (review.state === "APPROVED") {
      if (!writer) notes.push(`${who} approved but has no write access: the approval does not count.`);
      else if (review.commitId !== headSha) {
        notes.push(`${who} approved ${short(review.commitId)}, not the current head ${short(headSha)}: approve again.`);
      } else approvedBy.push(review.author);
    }
  }

  const what = tier === "critical" ? "database migration/schema" : "infrastructure";
  if (approvedBy.length && !blockedBy.length) {
    const by = approvedBy.map((a) => `@${a}`).join(", ");
    const merge = tier === "critical" ? " The app never merges this pull request: a human must merge it and remove do-not-merge." : "";
    return {
      conclusion: "success",
      title: `Risk ${tier}: approved by ${by}`,
      summary: [`Risk tier **${tier}** (${what}): ${by} approved the head commit ${short(headSha)}.${merge}`, ...notes].join("\n\n"),
      approvedBy,
    };
  }
  return {
    conclusion: "action_required",
    title: blockedBy.length ? `Risk ${tier}: changes requested` : `Risk ${tier}: needs approval of ${short(headSha)}`,
    summary: [
      `Risk tier **${tier}** (${what}): a person with write access must review and approve the current head commit ${short(headSha)}. Approvals of earlier commits, of bots and of the app do not count.`,
      ...notes,
    ].join("\n\n"),
    approvedBy: [],
  };
}
