import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createProbot, type Context } from "probot";
import { pino } from "pino";
import { startGitHubStandIn, type GitHubStandIn, type SeededRepository } from "./github-standin/index.js";
import { standInProbot, TestOctokit } from "./github-standin/probot.js";
import { issueCommentCreated, pullRequestReviewSubmitted, pullRequestSynchronize, pushPayload, sendWebhook, webhookPayload } from "./webhooks.js";

describe("webhook payloads from the stand-in's state", () => {
  let standIn: GitHubStandIn;
  let repo: SeededRepository;
  let prNumber: number;

  beforeAll(async () => {
    standIn = await startGitHubStandIn({ appSlug: "codegen-test" });
    repo = await standIn.createRepository({ owner: "acme", name: "widgets" });
    await standIn.commitFiles(repo.ref, { branch: "feature", files: { "f.txt": "f\n" } });
    standIn.addIssue(repo.ref, { title: "first issue" });
    prNumber = (await standIn.openPullRequest(repo.ref, { head: "feature", title: "Feature", user: "alice" })).number;
  });

  afterAll(() => standIn.close());

  it("numbers issues and pull requests from one sequence", () => {
    expect(prNumber).toBe(2);
    expect(standIn.addIssue(repo.ref, { title: "third" }).number).toBe(3);
  });

  // Signature checking over HTTP is covered in github-standin.test.ts; here the payloads go straight to probot.receive.
  it("delivers issue_comment on a pull request, review, synchronize and push events to a real Probot", async () => {
    const probot = standInProbot(standIn);
    const seen: Record<string, unknown>[] = [];
    await probot.load((app) => {
      app.on("issue_comment.created", async (context) => {
        seen.push({ event: "comment", issue: context.issue(), onPr: Boolean(context.payload.issue.pull_request), body: context.payload.comment.body, isBot: context.isBot });
      });
      app.on("pull_request_review.submitted", async (context) => {
        seen.push({ event: "review", pr: context.pullRequest(), state: context.payload.review.state, commit: context.payload.review.commit_id });
      });
      app.on("pull_request.synchronize", async (context) => {
        seen.push({ event: "sync", head: context.payload.pull_request.head.sha, before: context.payload.before });
      });
      app.on("push", async (context: Context<"push">) => {
        seen.push({ event: "push", ref: context.payload.ref, after: context.payload.after, installation: context.payload.installation?.id });
      });
    });
    const comment = standIn.addComment(repo.ref, prNumber, { body: "/codegen also add docs", user: "alice" });
    const before = (await standIn.pull(repo.ref, prNumber)).headSha;
    const after = await standIn.commitFiles(repo.ref, { branch: "feature", files: { "g.txt": "g\n" } });
    const review = await standIn.addReview(repo.ref, prNumber, { user: "bob", state: "CHANGES_REQUESTED", body: "no" });

    await probot.receive({ id: "1", name: "issue_comment", payload: issueCommentCreated(standIn, repo.ref, comment.id) as never });
    await probot.receive({ id: "2", name: "pull_request_review", payload: (await pullRequestReviewSubmitted(standIn, repo.ref, prNumber, review.id)) as never });
    await probot.receive({ id: "3", name: "pull_request", payload: (await pullRequestSynchronize(standIn, repo.ref, prNumber, before)) as never });
    await probot.receive({ id: "4", name: "push", payload: pushPayload(standIn, repo.ref, { ref: "refs/heads/feature", before, after }) as never });

    expect(seen).toEqual([
      { event: "comment", issue: { owner: "acme", repo: "widgets", issue_number: prNumber }, onPr: true, body: "/codegen also add docs", isBot: false },
      { event: "review", pr: { owner: "acme", repo: "widgets", pull_number: prNumber }, state: "changes_requested", commit: after },
      { event: "sync", head: after, before },
      { event: "push", ref: "refs/heads/feature", after, installation: standIn.installationId },
    ]);
  });

  it("signs deliveries exactly like GitHub", async () => {
    let received: { headers: Record<string, unknown>; body: string } | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const payload = webhookPayload("issue_comment", "created", { sender: "alice" });
      const result = await sendWebhook({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, secret: "s3cret", event: "issue_comment", payload, deliveryId: "d-1" });
      expect(result).toEqual({ status: 200, body: "ok", deliveryId: "d-1" });
    } finally {
      server.close();
    }
    const expected = createHmac("sha256", "s3cret").update(received!.body).digest("hex");
    expect(received!.headers).toMatchObject({
      "x-github-event": "issue_comment",
      "x-github-delivery": "d-1",
      "x-hub-signature-256": `sha256=${expected}`,
      "content-type": "application/json",
    });
    expect(JSON.parse(received!.body)).toMatchObject({ action: "created", sender: { login: "alice", type: "User" } });
  });

  it("works with GHE_HOST and GHE_PROTOCOL instead of a baseUrl", async () => {
    const probot = createProbot({
      env: {
        APP_ID: String(standIn.appId),
        PRIVATE_KEY: standIn.privateKey,
        WEBHOOK_SECRET: standIn.webhookSecret,
        GHE_HOST: new URL(standIn.url).host,
        GHE_PROTOCOL: "http",
      },
      overrides: { Octokit: TestOctokit, log: pino({ level: "silent" }) },
    });
    const octokit = await probot.auth(standIn.installationId);
    const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "widgets" });
    expect(data.clone_url).toBe(repo.cloneUrl);
  });
});
