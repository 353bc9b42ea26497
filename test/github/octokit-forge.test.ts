import { GitHubApiError } from "../../src/errors/index.js";
import { OctokitForge } from "../../src/github/octokit-forge.js";
import { startGitHubStandIn, type GitHubStandIn, type SeededRepository } from "../support/github-standin/index.js";
import { standInProbot } from "../support/github-standin/probot.js";

describe("OctokitForge against the GitHub stand-in", () => {
  let standIn: GitHubStandIn;
  let repo: SeededRepository;
  let forge: OctokitForge;

  beforeAll(async () => {
    standIn = await startGitHubStandIn({ appSlug: "codegen-test" });
    repo = await standIn.createRepository({
      owner: "acme",
      name: "widgets",
      files: {
        "README.md": "# widgets — ünïcode ✓\n",
        "docs/guide.md": "guide\n",
        "big.txt": "x".repeat(1024 * 1024 + 10),
        "link": { symlink: "README.md" },
      },
    });
    const probot = standInProbot(standIn);
    forge = new OctokitForge(await probot.auth(standIn.installationId), { installationId: standIn.installationId });
  });

  afterAll(() => standIn.close());

  afterEach(() => {
    expect(standIn.unhandledRequests()).toEqual([]);
  });

  it("mints a fresh installation token that the stand-in accepts for git", async () => {
    const token = await forge.installationToken();
    expect(await forge.installationToken()).not.toBe(token);
    const info = await fetch(`${repo.cloneUrl}/info/refs?service=git-upload-pack`, {
      headers: { authorization: `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}` },
    });
    expect(info.status).toBe(200);
    expect(await info.text()).toContain(repo.headSha);
  });

  it("reads repository information", async () => {
    await expect(forge.getRepository(repo.ref)).resolves.toEqual({
      defaultBranch: "main",
      cloneUrl: repo.cloneUrl,
      private: false,
      htmlUrl: repo.htmlUrl,
    });
  });

  it.each([
    ["admin", "admin"],
    ["maintain", "write"],
    ["write", "write"],
    ["triage", "read"],
    ["read", "read"],
    ["none", "none"],
  ] as const)("maps the %s role to %s", async (role, expected) => {
    standIn.setPermission(repo.ref, `user-${role}`, role);
    await expect(forge.getPermission(repo.ref, `user-${role}`)).resolves.toBe(expected);
  });

  it("treats the repository owner as admin and strangers as none", async () => {
    await expect(forge.getPermission(repo.ref, "acme")).resolves.toBe("admin");
    await expect(forge.getPermission(repo.ref, "stranger")).resolves.toBe("none");
  });

  it("reads issues and pull requests, and comments on them as the bot", async () => {
    const issue = standIn.addIssue(repo.ref, { title: "Bug", body: "It breaks", user: "alice" });
    await expect(forge.getIssue(repo.ref, issue.number)).resolves.toMatchObject({
      number: issue.number, title: "Bug", body: "It breaks", state: "open", isPullRequest: false, author: "alice", authorIsBot: false,
    });
    const human = standIn.addComment(repo.ref, issue.number, { body: "/codegen fix it", user: "alice" });
    const mine = await forge.createComment(repo.ref, issue.number, "Working on it");
    expect(mine).toMatchObject({ author: "codegen-test[bot]", authorIsBot: true, body: "Working on it" });
    await forge.updateComment(repo.ref, mine.id, "Done");
    await forge.addReaction(repo.ref, human.id, "eyes");
    await forge.addReaction(repo.ref, human.id, "eyes");
    const listed = await forge.listComments(repo.ref, issue.number);
    expect(listed.map((c) => [c.author, c.authorIsBot, c.body])).toEqual([
      ["alice", false, "/codegen fix it"],
      ["codegen-test[bot]", true, "Done"],
    ]);
    expect(standIn.reactions(human.id)).toEqual([{ content: "eyes", user: "codegen-test[bot]" }]);
  });

  it("pages through long comment threads", async () => {
    const issue = standIn.addIssue(repo.ref, { title: "Chatty" });
    for (let i = 0; i < 130; i++) standIn.addComment(repo.ref, issue.number, { body: `c${i}` });
    const comments = await forge.listComments(repo.ref, issue.number);
    expect(comments).toHaveLength(130);
    expect(comments[129]!.body).toBe("c129");
  });

  it("reads files, decoding base64 and falling back to raw for files over 1 MB", async () => {
    await expect(forge.readFile(repo.ref, "README.md")).resolves.toBe("# widgets — ünïcode ✓\n");
    await expect(forge.readFile(repo.ref, "big.txt")).resolves.toHaveLength(1024 * 1024 + 10);
    await expect(forge.readFile(repo.ref, "missing.md")).resolves.toBeNull();
    await expect(forge.readFile(repo.ref, "docs")).resolves.toBeNull();
    await expect(forge.readFile(repo.ref, "link")).resolves.toBeNull();
    await standIn.commitFiles(repo.ref, { branch: "feature", files: { "docs/guide.md": "new guide\n" } });
    await expect(forge.readFile(repo.ref, "docs/guide.md", "feature")).resolves.toBe("new guide\n");
    await expect(forge.readFile(repo.ref, "docs/guide.md")).resolves.toBe("guide\n");
  });

  it("creates only the labels that are missing and labels issues", async () => {
    const other = await standIn.createRepository({ owner: "acme", name: "labels" });
    await forge.ensureLabels(other.ref, [{ name: "codegen", color: "0e8a16", description: "Made by codegen" }]);
    const specs = [
      { name: "Codegen", color: "ff0000", description: "different case, same label" },
      { name: "risk:low", color: "#c2e0c6", description: "Low risk" },
    ];
    await forge.ensureLabels(other.ref, specs);
    await forge.ensureLabels(other.ref, specs);
    expect(standIn.labels(other.ref)).toEqual([
      { name: "codegen", color: "0e8a16", description: "Made by codegen" },
      { name: "risk:low", color: "c2e0c6", description: "Low risk" },
    ]);
    const posts = standIn.requests.filter((r) => r.method === "POST" && r.path === `/repos/${other.fullName}/labels`);
    expect(posts).toHaveLength(2);

    const issue = standIn.addIssue(other.ref, { title: "x" });
    await forge.addLabels(other.ref, issue.number, ["codegen", "risk:low"]);
    await forge.removeLabel(other.ref, issue.number, "risk:low");
    await forge.removeLabel(other.ref, issue.number, "never-there");
    expect(standIn.issueLabels(other.ref, issue.number)).toEqual(["codegen"]);
  });

  it("opens, reads, updates and finds pull requests by head prefix", async () => {
    const prRepo = await standIn.createRepository({ owner: "acme", name: "prs" });
    await standIn.commitFiles(prRepo.ref, { branch: "codegen/issue-1", files: { "a.txt": "a\n" } });
    await standIn.commitFiles(prRepo.ref, { branch: "codegen/issue-2", files: { "b.txt": "b\n" } });
    await standIn.commitFiles(prRepo.ref, { branch: "human/change", files: { "c.txt": "c\n" } });
    const first = await forge.createPullRequest(prRepo.ref, { head: "codegen/issue-1", base: "main", title: "One", body: "Body 1", draft: true });
    expect(first).toMatchObject({ state: "open", draft: true, merged: false, title: "One", body: "Body 1", author: "codegen-test[bot]", headRef: "codegen/issue-1", headRepo: "acme/prs", baseRef: "main" });
    expect(first.headSha).toBe((await standIn.branches(prRepo.ref))["codegen/issue-1"]);
    const second = await forge.createPullRequest(prRepo.ref, { head: "codegen/issue-2", base: "main", title: "Two", body: "", draft: false });
    // Read as an issue, the app's own pull request says a bot opened it.
    await expect(forge.getIssue(prRepo.ref, second.number)).resolves.toMatchObject({ isPullRequest: true, author: "codegen-test[bot]", authorIsBot: true });
    await forge.createPullRequest(prRepo.ref, { head: "human/change", base: "main", title: "Human", body: "", draft: false });

    await forge.updatePullRequest(prRepo.ref, second.number, { title: "Two, renamed", body: "now with body" });
    await expect(forge.getPullRequest(prRepo.ref, second.number)).resolves.toMatchObject({ title: "Two, renamed", body: "now with body" });

    await fetch(`${standIn.apiUrl}/repos/${prRepo.fullName}/pulls/${first.number}`, {
      method: "PATCH",
      headers: { authorization: `token ${standIn.createInstallationToken()}` },
      body: JSON.stringify({ state: "closed" }),
    });
    const found = await forge.findOpenPullRequests(prRepo.ref, "codegen/");
    expect(found.map((p) => p.headRef)).toEqual(["codegen/issue-2"]);

    const newSha = await standIn.commitFiles(prRepo.ref, { branch: "codegen/issue-2", files: { "b.txt": "b2\n" } });
    await expect(forge.getPullRequest(prRepo.ref, second.number)).resolves.toMatchObject({ headSha: newSha });

    // A contribution from a fork names the fork as the head's repository.
    await standIn.commitFiles(prRepo.ref, { branch: "patch-1", files: { "d.txt": "d\n" } });
    const fromFork = await standIn.openPullRequest(prRepo.ref, { head: "patch-1", title: "From a fork", user: "bob", fromFork: true });
    await expect(forge.getPullRequest(prRepo.ref, fromFork.number)).resolves.toMatchObject({ headRef: "patch-1", headRepo: "bob/prs" });
  });

  it("lists a pull request's files against the merge base, with hunks, renames and no patch for binary files, and reacts to a review comment on it", async () => {
    const prRepo = await standIn.createRepository({
      owner: "acme",
      name: "pr-files",
      files: { "src/keep.js": "export const keep = 1;\n", "src/old-name.js": "export const moved = 1;\n", "gone.txt": "bye\n", "logo.png": Buffer.from([0, 1, 2]) },
    });
    await standIn.commitFiles(prRepo.ref, {
      branch: "feature",
      files: { "src/keep.js": "export const keep = 2;\n", "src/new-name.js": "export const moved = 1;\n", "src/added.js": "export const added = true;\n", "logo.png": Buffer.from([0, 1, 2, 3]) },
      deletions: ["src/old-name.js", "gone.txt"],
    });
    // The base branch moves on after the branch was made: its change is not the pull request's.
    await standIn.commitFiles(prRepo.ref, { branch: "main", files: { "README.md": "later\n" } });
    const pull = await standIn.openPullRequest(prRepo.ref, { head: "feature", title: "Feature", user: "alice" });

    const review = await standIn.addReviewComment(prRepo.ref, pull.number, { path: "src/added.js", line: 1, body: "/codegen x", user: "alice" });
    expect(review.diffHunk).toBe("@@ -0,0 +1 @@\n+export const added = true;");
    await forge.addReviewCommentReaction(prRepo.ref, review.id, "eyes");
    await forge.addReviewCommentReaction(prRepo.ref, review.id, "eyes");
    expect(standIn.reactions(review.id)).toEqual([{ content: "eyes", user: "codegen-test[bot]" }]);

    const files = await forge.listPullRequestFiles(prRepo.ref, pull.number);
    expect(files.map((f) => [f.path, f.status, f.previousPath])).toEqual([
      ["gone.txt", "removed", undefined],
      ["logo.png", "modified", undefined],
      ["src/added.js", "added", undefined],
      ["src/keep.js", "modified", undefined],
      ["src/new-name.js", "renamed", "src/old-name.js"],
    ]);
    const keep = files.find((f) => f.path === "src/keep.js")!;
    expect(keep).toMatchObject({ additions: 1, deletions: 1 });
    expect(keep.patch).toBe("@@ -1 +1 @@\n-export const keep = 1;\n+export const keep = 2;");
    expect(files.find((f) => f.path === "logo.png")!.patch).toBeUndefined();
  });

  it("pages through a pull request's files", async () => {
    const prRepo = await standIn.createRepository({ owner: "acme", name: "pr-many" });
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f/${String(i).padStart(3, "0")}.txt`, `${i}\n`]));
    await standIn.commitFiles(prRepo.ref, { branch: "many", files: many });
    const pull = await standIn.openPullRequest(prRepo.ref, { head: "many", title: "Many", user: "alice" });
    const files = await forge.listPullRequestFiles(prRepo.ref, pull.number);
    expect(files).toHaveLength(101);
    expect(new Set(files.map((f) => f.path)).size).toBe(101);
  });

  it("explains why GitHub refused to open a pull request", async () => {
    const error = await forge
      .createPullRequest(repo.ref, { head: "does-not-exist", base: "main", title: "x", body: "", draft: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({ status: 422 });
    expect((error as Error).message).toMatch(/open a pull request from does-not-exist into main.*422.*head invalid.*branch was pushed/s);
  });

  it("lists reviews and requests reviewers", async () => {
    const reviewRepo = await standIn.createRepository({ owner: "acme", name: "reviews" });
    await standIn.commitFiles(reviewRepo.ref, { branch: "codegen/r", files: { "r.txt": "r\n" } });
    const pr = await forge.createPullRequest(reviewRepo.ref, { head: "codegen/r", base: "main", title: "R", body: "", draft: false });
    await forge.requestReviewers(reviewRepo.ref, pr.number, { users: ["alice"], teams: ["core"] });
    await forge.requestReviewers(reviewRepo.ref, pr.number, { users: [], teams: [] });
    expect(await standIn.pull(reviewRepo.ref, pr.number)).toMatchObject({ requestedReviewers: ["alice"], requestedTeams: ["core"] });
    const review = await standIn.addReview(reviewRepo.ref, pr.number, { user: "alice", state: "APPROVED" });
    await expect(forge.listReviews(reviewRepo.ref, pr.number)).resolves.toEqual([
      { id: review.id, author: "alice", authorIsBot: false, state: "APPROVED", commitId: pr.headSha, submittedAt: expect.any(String) },
    ]);
  });

  it("creates and updates check runs, keeping the title when only the summary changes", async () => {
    const { id } = await forge.createCheckRun(repo.ref, { name: "codegen", headSha: repo.headSha, status: "in_progress", title: "Working", summary: "Started" });
    await forge.updateCheckRun(repo.ref, id, { summary: "Halfway" });
    await forge.updateCheckRun(repo.ref, id, { status: "completed", conclusion: "success", title: "Done", summary: "All green", text: "details" });
    const run = standIn.checkRuns(repo.ref).find((r) => r.id === id);
    expect(run).toMatchObject({ name: "codegen", headSha: repo.headSha, status: "completed", conclusion: "success", title: "Done", summary: "All green", text: "details" });
    const halfway = standIn.requests.filter((r) => r.method === "GET" && r.path === `/repos/${repo.fullName}/check-runs/${id}`);
    expect(halfway).toHaveLength(1);
  });

  it("enables auto-merge through GraphQL and reports GitHub's refusal", async () => {
    const amRepo = await standIn.createRepository({ owner: "acme", name: "automerge" });
    await standIn.commitFiles(amRepo.ref, { branch: "codegen/am", files: { "m.txt": "m\n" } });
    const pr = await forge.createPullRequest(amRepo.ref, { head: "codegen/am", base: "main", title: "AM", body: "", draft: false });
    await forge.enableAutoMerge(pr.nodeId, "SQUASH");
    expect((await standIn.pull(amRepo.ref, pr.number)).autoMerge).toEqual({ mergeMethod: "SQUASH", enabledBy: "codegen-test[bot]" });

    standIn.setRepositoryOptions(amRepo.ref, { allowAutoMerge: false });
    const error = await forge.enableAutoMerge(pr.nodeId, "MERGE").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toMatch(/Auto merge is not allowed for this repository.*Allow auto-merge/s);
  });

  it("turns 403, 404 and 5xx into errors that say what to do", async () => {
    const saved = standIn.appPermissions;
    standIn.setAppPermissions({ ...saved, checks: "read" });
    try {
      const denied = await forge.createCheckRun(repo.ref, { name: "x", headSha: repo.headSha, status: "queued", title: "t", summary: "s" }).catch((e: unknown) => e);
      expect(denied).toMatchObject({ status: 403 });
      expect((denied as Error).message).toMatch(/lacks a permission \(Checks: write\).*Grant it/s);
    } finally {
      standIn.setAppPermissions(saved);
    }

    const missing = await forge.getRepository({ owner: "acme", repo: "nope" }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });
    expect((missing as Error).message).toMatch(/not installed on acme\/nope/);

    standIn.injectFailure({ method: "POST", path: /\/issues\/\d+\/comments$/, status: 502, message: "Server Error" });
    const issue = standIn.addIssue(repo.ref, { title: "flaky" });
    const flaky = await forge.createComment(repo.ref, issue.number, "hi").catch((e: unknown) => e);
    expect(flaky).toMatchObject({ status: 502 });
    expect((flaky as Error).message).toMatch(/try again later/);
    await expect(forge.createComment(repo.ref, issue.number, "hi")).resolves.toMatchObject({ body: "hi" });
  });
});
