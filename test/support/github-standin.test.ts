import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createNodeMiddleware, type ApplicationFunction, type Probot } from "probot";
import { startGitHubStandIn, type GitHubStandIn, type SeededRepository } from "./github-standin/index.js";
import { standInProbot } from "./github-standin/probot.js";
import { issueCommentCreated, sendWebhook, webhookPayload } from "./webhooks.js";

const exec = promisify(execFile);

/** Plain git as a user would run it, but without the machine's config; auth via an extra header. */
async function userGit(args: string[], cwd: string, token?: string): Promise<{ stdout: string; stderr: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: cwd, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "/bin/false" };
  const auth = token ? ["-c", `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`] : [];
  const identity = ["-c", "user.name=Test", "-c", "user.email=test@example.test"];
  return exec("git", [...auth, ...identity, ...args], { cwd, env });
}

const probotFor = (standIn: GitHubStandIn): Probot => standInProbot(standIn);

async function serve(app: ApplicationFunction, probot: Probot): Promise<{ server: Server; url: string }> {
  const middleware = await createNodeMiddleware(app, { probot });
  const server = createServer((req, res) => {
    void middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks` };
}

describe("GitHub stand-in", () => {
  let standIn: GitHubStandIn;
  let repo: SeededRepository;
  let work: string;

  beforeAll(async () => {
    standIn = await startGitHubStandIn({ appSlug: "codegen-test" });
    repo = await standIn.createRepository({
      owner: "acme",
      name: "widgets",
      files: { "README.md": "# widgets\n", ".github/codegen.yml": "test: npm test\nlimits:\n  max_iterations: 2\n", "src/index.js": "module.exports = 1;\n" },
    });
    work = await mkdtemp(join(tmpdir(), "standin-test-"));
  });

  afterAll(async () => {
    await standIn.close();
    await rm(work, { recursive: true, force: true });
  });

  it("lets a real Probot app mint an installation token from a webhook and comment", async () => {
    const issue = standIn.addIssue(repo.ref, { title: "Add a widget", user: "alice" });
    const command = standIn.addComment(repo.ref, issue.number, { body: "/codegen add a widget", user: "alice" });
    const seen: { config: unknown; isBot: boolean }[] = [];
    const probot = probotFor(standIn);
    const app: ApplicationFunction = (app) => {
      app.on("issue_comment.created", async (context) => {
        const config = await context.config("codegen.yml");
        seen.push({ config, isBot: context.isBot });
        await context.octokit.rest.reactions.createForIssueComment(context.repo({ comment_id: context.payload.comment.id, content: "eyes" }));
        await context.octokit.rest.issues.createComment(context.issue({ body: "On it." }));
      });
    };
    const { server, url } = await serve(app, probot);
    try {
      const result = await sendWebhook({ url, secret: standIn.webhookSecret, event: "issue_comment", payload: issueCommentCreated(standIn, repo.ref, command.id) });
      expect(result.status).toBe(200);
    } finally {
      server.close();
    }
    expect(seen).toEqual([{ config: { test: "npm test", limits: { max_iterations: 2 } }, isBot: false }]);
    const comments = standIn.comments(repo.ref, issue.number);
    expect(comments.map((c) => [c.author, c.authorType, c.body])).toEqual([
      ["alice", "User", "/codegen add a widget"],
      ["codegen-test[bot]", "Bot", "On it."],
    ]);
    expect(standIn.reactions(command.id)).toEqual([{ content: "eyes", user: "codegen-test[bot]" }]);
    const tokenCall = standIn.requests.find((r) => r.path === `/app/installations/${standIn.installationId}/access_tokens`);
    expect(tokenCall).toMatchObject({ method: "POST", status: 201, auth: "app" });
    expect(standIn.unhandledRequests()).toEqual([]);
  });

  it("rejects a webhook with a wrong signature before the app runs", async () => {
    let ran = false;
    const { server, url } = await serve((app) => app.on("issue_comment.created", () => { ran = true; }), probotFor(standIn));
    try {
      const payload = webhookPayload("issue_comment", "created", { installation: standIn.rest.installation() });
      const result = await sendWebhook({ url, secret: "not-the-secret", event: "issue_comment", payload });
      expect(result.status).toBe(400);
    } finally {
      server.close();
    }
    expect(ran).toBe(false);
  });

  it("answers 401 to a wrong token and to a JWT signed with another key", async () => {
    const wrongToken = await fetch(`${standIn.apiUrl}/repos/${repo.fullName}`, { headers: { authorization: "token ghs_not-a-real-token" } });
    expect(wrongToken.status).toBe(401);
    expect(await wrongToken.json()).toMatchObject({ message: "Bad credentials" });
    const noToken = await fetch(`${standIn.apiUrl}/repos/${repo.fullName}`);
    expect(noToken.status).toBe(401);

    const other = await startGitHubStandIn({ appId: standIn.appId });
    try {
      const impostor = probotFor(other);
      await expect((await impostor.auth()).request("POST /app/installations/{id}/access_tokens", { id: standIn.installationId, baseUrl: standIn.apiUrl }))
        .rejects.toMatchObject({ status: 401 });
    } finally {
      await other.close();
    }
    const good = await fetch(`${standIn.apiUrl}/repos/${repo.fullName}`, { headers: { authorization: `token ${standIn.createInstallationToken()}` } });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ full_name: "acme/widgets", default_branch: "main", clone_url: repo.cloneUrl });
  });

  it("serves the contents API raw and as base64 JSON, and 404 when missing", async () => {
    const headers = { authorization: `Bearer ${standIn.createInstallationToken()}` };
    const raw = await fetch(`${standIn.apiUrl}/repos/${repo.fullName}/contents/.github/codegen.yml`, { headers: { ...headers, accept: "application/vnd.github.v3.raw" } });
    expect(raw.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await raw.text()).toBe("test: npm test\nlimits:\n  max_iterations: 2\n");
    const asJson = (await (await fetch(`${standIn.apiUrl}/repos/${repo.fullName}/contents/src/index.js?ref=main`, { headers })).json()) as Record<string, string>;
    expect(asJson).toMatchObject({ type: "file", encoding: "base64", path: "src/index.js" });
    expect(Buffer.from(asJson.content!, "base64").toString()).toBe("module.exports = 1;\n");
    const missing = await fetch(`${standIn.apiUrl}/repos/${repo.fullName}/contents/nope.txt`, { headers });
    expect(missing.status).toBe(404);
  });

  it("logs unknown routes as unhandled with a JSON 404", async () => {
    const response = await fetch(`${standIn.apiUrl}/repos/${repo.fullName}/deployments`, { headers: { authorization: `token ${standIn.createInstallationToken()}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: "Not Found" });
    expect(standIn.unhandledRequests().map((r) => r.path)).toContain(`/repos/${repo.fullName}/deployments`);
  });

  it("clones over git smart HTTP with a valid token and refuses a bad one", async () => {
    const token = standIn.createInstallationToken();
    const good = join(work, "good");
    await userGit(["clone", "--quiet", repo.cloneUrl, good], work, token);
    expect((await userGit(["rev-parse", "HEAD"], good)).stdout.trim()).toBe(repo.headSha);

    await expect(userGit(["clone", "--quiet", repo.cloneUrl, join(work, "bad")], work, "ghs_wrong")).rejects.toThrow(/Authentication failed|401|could not read Username/);
    await expect(userGit(["clone", "--quiet", repo.cloneUrl, join(work, "none")], work)).rejects.toThrow(/Authentication failed|401|could not read Username/);
    const git401 = standIn.requests.filter((r) => r.kind === "git" && r.status === 401);
    expect(git401.length).toBeGreaterThanOrEqual(2);
  });

  it("accepts a push but refuses one touching .github/workflows unless the app holds `workflows`", async () => {
    const token = standIn.createInstallationToken();
    const dir = join(work, "pusher");
    await userGit(["clone", "--quiet", repo.cloneUrl, dir], work, token);
    await writeFile(join(dir, "feature.txt"), "new\n");
    await userGit(["add", "feature.txt"], dir);
    await userGit(["commit", "--quiet", "-m", "feature"], dir);
    await userGit(["push", "--quiet", "origin", "HEAD:refs/heads/feature"], dir, token);
    expect(await standIn.readFile(repo.ref, "feature.txt", "feature")).toBe("new\n");

    await mkdir(join(dir, ".github", "workflows"), { recursive: true });
    await writeFile(join(dir, ".github", "workflows", "ci.yml"), "on: push\n");
    await userGit(["add", ".github/workflows/ci.yml"], dir);
    await userGit(["commit", "--quiet", "-m", "add workflow"], dir);
    await expect(userGit(["push", "origin", "HEAD:refs/heads/workflow"], dir, token)).rejects.toThrow(
      /refusing to allow a GitHub App to create or update workflow `\.github\/workflows\/ci\.yml` without `workflows` permission/,
    );
    expect(Object.keys(await standIn.branches(repo.ref))).not.toContain("workflow");

    standIn.grantWorkflows(true);
    try {
      await userGit(["push", "--quiet", "origin", "HEAD:refs/heads/workflow"], dir, token);
      expect(await standIn.readFile(repo.ref, ".github/workflows/ci.yml", "workflow")).toBe("on: push\n");
    } finally {
      standIn.grantWorkflows(false);
    }
  });
});
