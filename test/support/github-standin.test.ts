import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
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

describe("GitHub stand-in REST details", () => {
  let standIn: GitHubStandIn;
  let token: string;
  let seedDir: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${standIn.apiUrl}${path}`, { ...init, headers: { authorization: `token ${token}`, ...init.headers } });

  beforeAll(async () => {
    standIn = await startGitHubStandIn();
    token = standIn.createInstallationToken();
    seedDir = await mkdtemp(join(tmpdir(), "standin-seed-"));
  });

  afterAll(async () => {
    await standIn.close();
    await rm(seedDir, { recursive: true, force: true });
  });

  it("seeds a repository from a local directory, keeping symlinks and the executable bit", async () => {
    await mkdir(join(seedDir, "bin"));
    await writeFile(join(seedDir, "bin", "run"), "#!/bin/sh\n", { mode: 0o755 });
    await writeFile(join(seedDir, "a.txt"), "a\n");
    await symlink("a.txt", join(seedDir, "link"));
    await mkdir(join(seedDir, ".git"));
    await writeFile(join(seedDir, ".git", "HEAD"), "not seeded\n");
    const seeded = await standIn.createRepository({ owner: "o", name: "from-dir", fromDirectory: seedDir });
    const tree = (await exec("git", ["--git-dir", standIn.bareRepositoryPath(seeded.ref), "ls-tree", "-r", "HEAD"])).stdout;
    expect(tree.split("\n").filter(Boolean).map((line) => `${line.split(" ")[0]} ${line.split("\t")[1]}`)).toEqual([
      "100644 a.txt",
      "100755 bin/run",
      "120000 link",
    ]);
    const link = (await (await api(`/repos/o/from-dir/contents/link`)).json()) as Record<string, unknown>;
    expect(link).toMatchObject({ type: "symlink", target: "a.txt" });
  });

  it("keeps app-JWT endpoints and installation-token endpoints apart", async () => {
    await standIn.createRepository({ owner: "o", name: "auth" });
    expect((await api("/repos/o/auth/installation")).status).toBe(401);
    const app = await standInProbot(standIn).auth();
    const { data } = await app.request("GET /repos/{owner}/{repo}/installation", { owner: "o", repo: "auth" });
    expect(data).toMatchObject({ id: standIn.installationId, app_id: standIn.appId });
    const { token: jwt } = (await app.auth({ type: "app" })) as { token: string };
    const withJwt = await fetch(`${standIn.apiUrl}/repos/o/auth`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(withJwt.status).toBe(401);
  });

  it("stops accepting tokens once they expire, for REST and git", async () => {
    const repo = await standIn.createRepository({ owner: "o", name: "expiry" });
    const old = standIn.createInstallationToken();
    expect((await fetch(`${standIn.apiUrl}/repos/o/expiry`, { headers: { authorization: `token ${old}` } })).status).toBe(200);
    standIn.expireTokens();
    expect((await fetch(`${standIn.apiUrl}/repos/o/expiry`, { headers: { authorization: `token ${old}` } })).status).toBe(401);
    const basic = `Basic ${Buffer.from(`x-access-token:${old}`).toString("base64")}`;
    const git = await fetch(`${repo.cloneUrl}/info/refs?service=git-upload-pack`, { headers: { authorization: basic } });
    expect(git.status).toBe(401);
    expect(git.headers.get("www-authenticate")).toMatch(/^Basic/);
    token = standIn.createInstallationToken();
  });

  it("validates pull requests, labels and check runs like GitHub", async () => {
    const repo = await standIn.createRepository({ owner: "o", name: "validate" });
    await standIn.createBranch(repo.ref, "same");
    const noCommits = await api("/repos/o/validate/pulls", { method: "POST", body: JSON.stringify({ title: "t", head: "same", base: "main" }) });
    expect(noCommits.status).toBe(422);
    expect(await noCommits.json()).toMatchObject({ errors: [{ message: "No commits between main and same" }] });

    const label = () => api("/repos/o/validate/labels", { method: "POST", body: JSON.stringify({ name: "Bug", color: "ff0000" }) });
    expect((await label()).status).toBe(201);
    expect(await (await label()).json()).toMatchObject({ errors: [{ code: "already_exists" }] });

    const badSha = await api("/repos/o/validate/check-runs", { method: "POST", body: JSON.stringify({ name: "c", head_sha: "f".repeat(40) }) });
    expect(badSha.status).toBe(422);
    const run = await api("/repos/o/validate/check-runs", { method: "POST", body: JSON.stringify({ name: "c", head_sha: repo.headSha, conclusion: "neutral", output: { title: "T", summary: "S" } }) });
    expect(await run.json()).toMatchObject({ status: "completed", conclusion: "neutral" });
    const listed = (await (await api("/repos/o/validate/commits/main/check-runs")).json()) as { total_count: number; check_runs: { name: string }[] };
    expect(listed.total_count).toBe(1);
    expect(listed.check_runs[0]!.name).toBe("c");
  });

  it("answers unknown GraphQL operations with errors and logs them as unhandled", async () => {
    const response = await fetch(`${standIn.url}/api/graphql`, {
      method: "POST",
      headers: { authorization: `bearer ${token}` },
      body: JSON.stringify({ query: "query { viewer { login } }" }),
    });
    expect(await response.json()).toMatchObject({ errors: [{ type: "UNIMPLEMENTED" }] });
    expect(standIn.unhandledRequests().at(-1)).toMatchObject({ kind: "graphql", path: "/api/graphql" });
  });

  it("gives Probot's config loader null when the repository has no .github/codegen.yml", async () => {
    await standIn.createRepository({ owner: "o", name: "no-config" });
    const octokit = await standInProbot(standIn).auth(standIn.installationId);
    const { config, files } = await octokit.config.get({ owner: "o", repo: "no-config", path: ".github/codegen.yml" });
    expect(config).toEqual({});
    // The loader also looks for the organisation's .github repository, which does not exist here.
    expect(files.map((f) => f.config)).toEqual([null, null]);
  });
});

