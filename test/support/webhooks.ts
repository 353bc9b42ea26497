import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { GitHubStandIn, RepoKey } from "./github-standin/index.js";

/**
 * Webhook payloads built from GitHub's own examples (`@octokit/webhooks-examples`), with our repository,
 * installation, sender and subjects substituted, and a sender that signs them exactly like GitHub.
 */

interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}

const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json") as WebhookDefinition[];

export type WebhookEvent = "issue_comment" | "pull_request_review" | "pull_request_review_comment" | "pull_request" | "push" | "issues" | "check_run";

type Json = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Objects merge key by key; arrays and scalars replace. */
function deepMerge(base: Json, override: Json): Json {
  const result: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    result[key] = isPlainObject(value) && isPlainObject(result[key]) ? deepMerge(result[key] as Json, value) : value;
  }
  return result;
}

function example(event: WebhookEvent, action: string | undefined): Json {
  const definition = definitions.find((d) => d.name === event);
  if (!definition) throw new Error(`@octokit/webhooks-examples has no "${event}" event`);
  const candidates = definition.examples.filter((e) => (action === undefined ? !("action" in e) || e.action === undefined : e.action === action));
  // Prefer an example that carries an installation: that is what an app receives.
  const chosen = candidates.find((e) => "installation" in e) ?? candidates[0];
  if (!chosen) throw new Error(`@octokit/webhooks-examples has no "${event}.${action}" example`);
  return structuredClone(chosen);
}

export interface PayloadOverrides {
  repository?: Json;
  installation?: { id: number } & Json;
  /** A login (a User) or a full user object. */
  sender?: string | Json;
  issue?: Json;
  comment?: Json;
  pull_request?: Json;
  review?: Json;
  [key: string]: unknown;
}

const userObject = (login: string): Json => ({
  login,
  id: [...login].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 1_000_000, 7),
  node_id: `U_${Buffer.from(login).toString("base64url")}`,
  type: login.endsWith("[bot]") ? "Bot" : "User",
  site_admin: false,
});

/**
 * A realistic payload for `event.action`: GitHub's example with every given top-level object merged in
 * (pass stand-in JSON from `standIn.rest.*` to match its state). An `issue` carrying `pull_request`
 * makes an issue_comment on a pull request.
 */
export function webhookPayload(event: WebhookEvent, action: string | undefined, overrides: PayloadOverrides = {}): Json {
  let payload = example(event, action);
  const { sender, ...rest } = overrides;
  const merged: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    // Subjects (repository, issue, ...) replace the example's wholesale when complete, else merge into it.
    merged[key] = isPlainObject(value) && isPlainObject(payload[key]) && !("id" in value && "node_id" in value) ? deepMerge(payload[key] as Json, value) : value;
  }
  payload = { ...payload, ...merged };
  if (sender !== undefined) payload.sender = typeof sender === "string" ? userObject(sender) : sender;
  if (action !== undefined) payload.action = action;
  return payload;
}

export interface SendWebhookInput {
  url: string;
  secret: string;
  event: WebhookEvent | string;
  payload: unknown;
  deliveryId?: string;
}

/** POST a webhook like GitHub: JSON body, event/delivery headers, HMAC-SHA256 (and SHA-1) signatures. */
export async function sendWebhook(input: SendWebhookInput): Promise<{ status: number; body: string; deliveryId: string }> {
  const body = JSON.stringify(input.payload);
  const deliveryId = input.deliveryId ?? randomUUID();
  // Signed here with node:crypto rather than @octokit/webhooks-methods so the app's verifier is checked independently.
  const sha256 = createHmac("sha256", input.secret).update(body).digest("hex");
  const sha1 = createHmac("sha1", input.secret).update(body).digest("hex");
  const response = await fetch(input.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/standin",
      "x-github-event": input.event,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": "1",
      "x-github-hook-installation-target-type": "integration",
      "x-hub-signature": `sha1=${sha1}`,
      "x-hub-signature-256": `sha256=${sha256}`,
    },
    body,
  });
  return { status: response.status, body: await response.text(), deliveryId };
}

// --- Payloads that match a stand-in's state --------------------------------------------------------------

/** issue_comment.created for a comment that exists in the stand-in (on an issue or a pull request). */
export function issueCommentCreated(standIn: GitHubStandIn, repo: RepoKey, commentId: number): Json {
  const comment = standIn.comment(commentId);
  if (!comment) throw new Error(`stand-in has no comment ${commentId}`);
  const commentJson = standIn.rest.comment(repo, commentId);
  return webhookPayload("issue_comment", "created", {
    repository: standIn.rest.repository(repo),
    installation: standIn.rest.installation(),
    issue: standIn.rest.issue(repo, comment.issueNumber),
    comment: commentJson,
    sender: commentJson.user as Json,
  });
}

/** pull_request_review_comment.created for a comment added with `standIn.addReviewComment`. */
export async function pullRequestReviewCommentCreated(standIn: GitHubStandIn, repo: RepoKey, pullNumber: number, commentId: number): Promise<Json> {
  const comment = standIn.rest.reviewComment(repo, commentId);
  return webhookPayload("pull_request_review_comment", "created", {
    repository: standIn.rest.repository(repo),
    installation: standIn.rest.installation(),
    pull_request: await standIn.rest.pullRequest(repo, pullNumber),
    comment,
    sender: comment.user as Json,
  });
}

/** pull_request_review.submitted for a review added with `standIn.addReview`. */
export async function pullRequestReviewSubmitted(standIn: GitHubStandIn, repo: RepoKey, pullNumber: number, reviewId: number): Promise<Json> {
  const review = standIn.rest.review(repo, pullNumber, reviewId);
  return webhookPayload("pull_request_review", "submitted", {
    repository: standIn.rest.repository(repo),
    installation: standIn.rest.installation(),
    pull_request: await standIn.rest.pullRequest(repo, pullNumber),
    // Webhook payloads spell review states in lower case, the REST API in upper case.
    review: { ...review, state: String(review.state).toLowerCase() },
    sender: review.user as Json,
  });
}

/** pull_request.synchronize after the head branch moved from `before` to its current tip. */
export async function pullRequestSynchronize(standIn: GitHubStandIn, repo: RepoKey, pullNumber: number, before: string, sender = "octocat"): Promise<Json> {
  const pr = await standIn.rest.pullRequest(repo, pullNumber);
  return webhookPayload("pull_request", "synchronize", {
    number: pullNumber,
    repository: standIn.rest.repository(repo),
    installation: standIn.rest.installation(),
    pull_request: pr,
    before,
    after: (pr.head as Json).sha,
    sender,
  });
}

/** push of `ref` from `before` to `after` (commits list left empty; GitHub caps it anyway). */
export function pushPayload(standIn: GitHubStandIn, repo: RepoKey, input: { ref: string; before: string; after: string; sender?: string }): Json {
  const repository = standIn.rest.repository(repo);
  return webhookPayload("push", undefined, {
    ref: input.ref,
    before: input.before,
    after: input.after,
    created: /^0+$/.test(input.before),
    deleted: /^0+$/.test(input.after),
    forced: false,
    commits: [],
    head_commit: null,
    compare: `${String(repository.html_url)}/compare/${input.before.slice(0, 12)}...${input.after.slice(0, 12)}`,
    repository,
    installation: standIn.rest.installation(),
    pusher: { name: input.sender ?? "octocat", email: null },
    sender: input.sender ?? "octocat",
  });
}
