import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateAppKeys, InstallationTokens, verifyAppJwt, type AppKeys } from "./app-auth.js";
import { BareRepositories, filesFromDirectory, type FileSpec } from "./git-repos.js";
import { serveGitHttp } from "./git-http.js";
import { handleGraphql, type GraphqlCall } from "./graphql.js";
import { buildRestRoutes } from "./rest-api.js";
import { HttpError, match, type ApiResponse, type Route } from "./router.js";
import { now, Serializer, type CollaboratorRole, type IssueState, type RepoState, type ReviewState } from "./state.js";
import { fullNameOf, StandInStore, type RepoKey } from "./store.js";

export type { FileSpec } from "./git-repos.js";
export type { RepoKey } from "./store.js";
export type { CollaboratorRole, ReviewState } from "./state.js";

export interface GitHubStandInOptions {
  appId?: number;
  /** The app's slug: comments made with an installation token are authored by `<slug>[bot]`. */
  appSlug?: string;
  installationId?: number;
  webhookSecret?: string;
  /** The account the app is installed on. */
  installationOwner?: string;
  /** Installation token lifetime (GitHub: one hour). */
  tokenTtlMs?: number;
  /** The app's permissions; `workflows: "write"` lets pushes touch `.github/workflows/`. */
  permissions?: Record<string, string>;
}

export interface RequestLogEntry {
  kind: "rest" | "graphql" | "git" | "other";
  method: string;
  /** Path without the `/api/v3` prefix for REST. */
  path: string;
  query: string;
  status: number;
  auth: "installation" | "app" | "none" | "invalid";
  /** False when no route matched: a gap in the stand-in (or a wrong URL in the app). */
  handled: boolean;
}

export interface SeededRepository {
  owner: string;
  repo: string;
  fullName: string;
  ref: { owner: string; repo: string };
  defaultBranch: string;
  cloneUrl: string;
  htmlUrl: string;
  headSha: string;
}

export interface IssueSnapshot {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  author: string;
  labels: string[];
  isPullRequest: boolean;
}

export interface CommentSnapshot {
  id: number;
  issueNumber: number;
  body: string;
  author: string;
  authorType: string;
  createdAt: string;
  updatedAt: string;
}

export interface PullSnapshot extends IssueSnapshot {
  nodeId: string;
  head: string;
  base: string;
  headSha: string;
  draft: boolean;
  requestedReviewers: string[];
  requestedTeams: string[];
  autoMerge: { mergeMethod: string; enabledBy: string } | null;
}

export interface CheckRunSnapshot {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  text: string | null;
  detailsUrl: string | null;
  annotations: unknown[];
}

interface InjectedFailure {
  method: string | undefined;
  path: RegExp | string;
  status: number;
  message: string;
  remaining: number;
}

const DEFAULT_PERMISSIONS = { contents: "write", issues: "write", pull_requests: "write", checks: "write", metadata: "read" };
const LEVELS: Record<string, number> = { read: 1, write: 2, admin: 3 };
const GIT_PATH = /^\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)\.git(\/.*)$/;

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

/**
 * A stateful GitHub on 127.0.0.1: REST under `/api/v3` (GitHub Enterprise layout), GraphQL at
 * `/api/graphql`, git smart HTTP at `/<owner>/<repo>.git`. The real app reaches it by base URL only.
 */
export class GitHubStandIn {
  readonly url: string;
  readonly apiUrl: string;
  readonly appId: number;
  readonly appSlug: string;
  readonly privateKey: string;
  readonly webhookSecret: string;
  readonly installationId: number;
  /** Every request, in order. */
  readonly requests: RequestLogEntry[] = [];
  readonly graphqlCalls: GraphqlCall[] = [];

  readonly #server: Server;
  readonly #root: string;
  readonly #keys: AppKeys;
  readonly #tokens: InstallationTokens;
  readonly #store: StandInStore;
  readonly #ser: Serializer;
  readonly #routes: Route[];
  readonly #failures: InjectedFailure[] = [];
  #permissions: Record<string, string>;

  private constructor(init: { server: Server; root: string; port: number; options: GitHubStandInOptions }) {
    const { options } = init;
    this.#server = init.server;
    this.#root = init.root;
    this.url = `http://127.0.0.1:${init.port}`;
    this.apiUrl = `${this.url}/api/v3`;
    this.appId = options.appId ?? 4242;
    this.appSlug = options.appSlug ?? "codegen-standin";
    this.installationId = options.installationId ?? 777;
    this.webhookSecret = options.webhookSecret ?? randomBytes(16).toString("hex");
    this.#keys = generateAppKeys();
    this.privateKey = this.#keys.privateKey;
    this.#tokens = new InstallationTokens(options.tokenTtlMs ?? 60 * 60 * 1000);
    this.#permissions = { ...DEFAULT_PERMISSIONS, ...options.permissions };
    this.#store = new StandInStore(new BareRepositories(join(init.root, "repos")));
    this.#ser = new Serializer(this.url, this.apiUrl, {
      id: this.appId,
      slug: this.appSlug,
      ownerLogin: options.installationOwner ?? "standin-org",
    });
    this.#routes = buildRestRoutes({
      store: this.#store,
      ser: this.#ser,
      tokens: this.#tokens,
      installationId: this.installationId,
      appPermissions: () => ({ ...this.#permissions }),
      botLogin: this.botLogin,
    });
  }

  static async start(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
    const root = await mkdtemp(join(tmpdir(), "github-standin-"));
    let standIn: GitHubStandIn | undefined;
    const server = createServer((req, res) => {
      if (!standIn) {
        res.writeHead(503).end();
        return;
      }
      standIn.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: `stand-in crashed: ${String(error)}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    standIn = new GitHubStandIn({ server, root, port, options });
    return standIn;
  }

  /** The login of the app's bot user (author of everything created with an installation token). */
  get botLogin(): string {
    return `${this.appSlug}[bot]`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await rm(this.#root, { recursive: true, force: true });
  }

  // --- Seeding ---------------------------------------------------------------------------------------

  /** Create a repository with one initial commit on its default branch, from a file map or a local directory. */
  async createRepository(input: {
    owner: string;
    name: string;
    files?: Record<string, FileSpec>;
    fromDirectory?: string;
    defaultBranch?: string;
    private?: boolean;
    allowAutoMerge?: boolean;
    draftPullRequests?: boolean;
    message?: string;
  }): Promise<SeededRepository> {
    const fullName = `${input.owner}/${input.name}`;
    if (this.#store.repos.has(fullName)) throw new Error(`stand-in: repository ${fullName} already exists`);
    const defaultBranch = input.defaultBranch ?? "main";
    const bareDir = await this.#store.git.create(input.owner, input.name, defaultBranch);
    const files = { ...(input.fromDirectory ? await filesFromDirectory(input.fromDirectory) : {}), ...input.files };
    if (Object.keys(files).length === 0) files["README.md"] = `# ${input.name}\n`;
    const headSha = await this.#store.git.commit(bareDir, { branch: defaultBranch, files, message: input.message ?? "Initial commit" });
    const repo: RepoState = {
      id: this.#store.nextId("repo"),
      owner: this.#store.user(input.owner),
      name: input.name,
      fullName,
      defaultBranch,
      private: input.private ?? false,
      allowAutoMerge: input.allowAutoMerge ?? true,
      draftPullRequests: input.draftPullRequests ?? true,
      bareDir,
      nextNumber: 1,
      issues: new Map(),
      labels: new Map(),
      collaborators: new Map(),
      checkRuns: [],
    };
    this.#store.repos.set(fullName, repo);
    return {
      owner: input.owner,
      repo: input.name,
      fullName,
      ref: { owner: input.owner, repo: input.name },
      defaultBranch,
      cloneUrl: this.cloneUrl(fullName),
      htmlUrl: `${this.url}/${fullName}`,
      headSha,
    };
  }

  cloneUrl(repo: RepoKey): string {
    return `${this.url}/${fullNameOf(repo)}.git`;
  }

  /** Commit files to a branch as if someone pushed (creates the branch from `from`, default the default branch). */
  async commitFiles(
    key: RepoKey,
    input: { branch: string; files?: Record<string, FileSpec>; deletions?: string[]; message?: string; from?: string; author?: { name: string; email: string } },
  ): Promise<string> {
    const repo = this.#store.repo(key);
    const exists = await this.#store.git.resolve(repo.bareDir, `refs/heads/${input.branch}`);
    return this.#store.git.commit(repo.bareDir, {
      branch: input.branch,
      parent: exists ? undefined : (input.from ?? repo.defaultBranch),
      files: input.files,
      deletions: input.deletions,
      message: input.message ?? "Update files",
      author: input.author,
    });
  }

  async createBranch(key: RepoKey, name: string, from?: string): Promise<string> {
    const repo = this.#store.repo(key);
    return this.#store.git.createBranch(repo.bareDir, name, from ?? `refs/heads/${repo.defaultBranch}`);
  }

  addIssue(key: RepoKey, input: { title: string; body?: string; user?: string; labels?: string[] }): IssueSnapshot {
    const repo = this.#store.repo(key);
    const issue = this.#store.createIssue(repo, { ...input, user: this.#store.user(input.user ?? "octocat") });
    return this.#issueSnapshot(issue);
  }

  addComment(key: RepoKey, issueNumber: number, input: { body: string; user?: string }): CommentSnapshot {
    const repo = this.#store.repo(key);
    const issue = this.#store.issue(repo, issueNumber);
    return this.#commentSnapshot(this.#store.createComment(repo, issue, input.body, this.#store.user(input.user ?? "octocat")));
  }

  /** A pull request opened by a person (the app's own PRs go through the REST API). */
  async openPullRequest(
    key: RepoKey,
    input: { head: string; base?: string; title: string; body?: string; user?: string; draft?: boolean; fromFork?: boolean },
  ): Promise<PullSnapshot> {
    const repo = this.#store.repo(key);
    const base = input.base ?? repo.defaultBranch;
    const headSha = await this.#store.git.resolve(repo.bareDir, `refs/heads/${input.head}`);
    const baseSha = await this.#store.git.resolve(repo.bareDir, `refs/heads/${base}`);
    if (!headSha || !baseSha) throw new Error(`stand-in: branches ${input.head} and ${base} must exist`);
    const issue = this.#store.createIssue(repo, { title: input.title, body: input.body, user: this.#store.user(input.user ?? "octocat") });
    issue.pull = {
      headRef: input.head, baseRef: base, headSha, baseSha, draft: input.draft ?? false, merged: false,
      requestedReviewers: [], requestedTeams: [], reviews: [], autoMerge: null,
      ...(input.fromFork ? { forkOwner: input.user ?? "octocat" } : {}),
    };
    return this.pull(key, issue.number);
  }

  /**
   * A person's comment on line `line` (new side) of a file in a pull request's diff, with GitHub's `diff_hunk`:
   * the hunk's header and lines down to the commented one. Like GitHub, refuses a line outside the diff.
   */
  async addReviewComment(key: RepoKey, pullNumber: number, input: { body: string; path: string; line: number; user?: string }): Promise<{ id: number; diffHunk: string }> {
    const repo = this.#store.repo(key);
    const issue = this.#store.pull(repo, pullNumber);
    await this.#store.refreshPull(repo, issue.pull);
    const files = await this.#store.git.pullRequestFiles(repo.bareDir, issue.pull.baseSha, issue.pull.headSha);
    const patch = files.find((f) => f.filename === input.path)?.patch;
    const diffHunk = patch === undefined ? undefined : hunkUpTo(patch, input.line);
    if (diffHunk === undefined) throw new Error(`stand-in: line ${input.line} of ${input.path} is not in the diff of #${pullNumber}`);
    const stamp = now();
    const comment = {
      id: this.#store.nextId("comment"),
      repo: repo.fullName,
      pullNumber,
      body: input.body,
      user: this.#store.user(input.user ?? "octocat"),
      path: input.path,
      line: input.line,
      diffHunk,
      commitId: issue.pull.headSha,
      createdAt: stamp,
      updatedAt: stamp,
      reactions: [],
    };
    this.#store.reviewComments.set(comment.id, comment);
    return { id: comment.id, diffHunk };
  }

  /** Close a pull request, or merge it (the branch stays, as GitHub keeps it unless told to delete it). */
  closePullRequest(key: RepoKey, number: number, input: { merged?: boolean } = {}): void {
    const repo = this.#store.repo(key);
    const issue = this.#store.pull(repo, number);
    issue.state = "closed";
    issue.closedAt = now();
    issue.pull.merged = input.merged ?? false;
  }

  setPermission(key: RepoKey, user: string, role: CollaboratorRole): void {
    this.#store.repo(key).collaborators.set(user.toLowerCase(), role);
  }

  async addReview(
    key: RepoKey,
    pullNumber: number,
    input: { user: string; state: ReviewState; body?: string; commitId?: string },
  ): Promise<{ id: number; commitId: string }> {
    const repo = this.#store.repo(key);
    const issue = this.#store.pull(repo, pullNumber);
    await this.#store.refreshPull(repo, issue.pull);
    const review = {
      id: this.#store.nextId("review"),
      user: this.#store.user(input.user),
      state: input.state,
      body: input.body ?? "",
      commitId: input.commitId ?? issue.pull.headSha,
      submittedAt: now(),
    };
    issue.pull.reviews.push(review);
    return { id: review.id, commitId: review.commitId };
  }

  setRepositoryOptions(key: RepoKey, options: { allowAutoMerge?: boolean; draftPullRequests?: boolean; private?: boolean }): void {
    const repo = this.#store.repo(key);
    if (options.allowAutoMerge !== undefined) repo.allowAutoMerge = options.allowAutoMerge;
    if (options.draftPullRequests !== undefined) repo.draftPullRequests = options.draftPullRequests;
    if (options.private !== undefined) repo.private = options.private;
  }

  /** Replace the app's permissions (e.g. drop `checks` to see a 403, or add `workflows: "write"`). */
  setAppPermissions(permissions: Record<string, string>): void {
    this.#permissions = { ...permissions };
  }

  get appPermissions(): Record<string, string> {
    return { ...this.#permissions };
  }

  /** Grant or revoke the `workflows` permission that pushes touching `.github/workflows/` need. */
  grantWorkflows(granted = true): void {
    if (granted) this.#permissions.workflows = "write";
    else delete this.#permissions.workflows;
  }

  /** Make the next `times` requests matching `path` (substring or RegExp on the path without /api/v3) fail. */
  injectFailure(input: { method?: string; path: RegExp | string; status: number; message?: string; times?: number }): void {
    this.#failures.push({
      method: input.method?.toUpperCase(),
      path: input.path,
      status: input.status,
      message: input.message ?? "Injected failure",
      remaining: input.times ?? 1,
    });
  }

  /** A valid installation token without going through the JWT exchange (for tests of git alone). */
  createInstallationToken(): string {
    return this.#tokens.mint(this.installationId).token;
  }

  expireTokens(): void {
    this.#tokens.expireAll();
  }

  // --- Inspection --------------------------------------------------------------------------------------

  issue(key: RepoKey, number: number): IssueSnapshot {
    const repo = this.#store.repo(key);
    return this.#issueSnapshot(this.#store.issue(repo, number));
  }

  comments(key: RepoKey, issueNumber: number): CommentSnapshot[] {
    const repo = this.#store.repo(key);
    return this.#store.commentsOn(repo, issueNumber).map((c) => this.#commentSnapshot(c));
  }

  comment(id: number): CommentSnapshot | undefined {
    const comment = this.#store.comments.get(id);
    return comment ? this.#commentSnapshot(comment) : undefined;
  }

  /** Reactions on an issue comment or a review comment (their ids come from one sequence). */
  reactions(commentId: number): { content: string; user: string }[] {
    const comment = this.#store.comments.get(commentId) ?? this.#store.reviewComments.get(commentId);
    return (comment?.reactions ?? []).map((r) => ({ content: r.content, user: r.user.login }));
  }

  labels(key: RepoKey): { name: string; color: string; description: string | null }[] {
    return [...this.#store.repo(key).labels.values()].map(({ name, color, description }) => ({ name, color, description }));
  }

  issueLabels(key: RepoKey, number: number): string[] {
    return [...this.issue(key, number).labels];
  }

  async pull(key: RepoKey, number: number): Promise<PullSnapshot> {
    const repo = this.#store.repo(key);
    const issue = this.#store.pull(repo, number);
    await this.#store.refreshPull(repo, issue.pull);
    const json = this.#ser.pullRequest(repo, issue, issue.pull, (login) => this.#store.user(login));
    return {
      ...this.#issueSnapshot(issue),
      nodeId: String(json.node_id),
      head: issue.pull.headRef,
      base: issue.pull.baseRef,
      headSha: issue.pull.headSha,
      draft: issue.pull.draft,
      requestedReviewers: [...issue.pull.requestedReviewers],
      requestedTeams: [...issue.pull.requestedTeams],
      autoMerge: issue.pull.autoMerge ? { mergeMethod: issue.pull.autoMerge.mergeMethod, enabledBy: issue.pull.autoMerge.enabledBy } : null,
    };
  }

  async pulls(key: RepoKey): Promise<PullSnapshot[]> {
    const repo = this.#store.repo(key);
    const numbers = [...repo.issues.values()].filter((i) => i.pull).map((i) => i.number);
    return Promise.all(numbers.map((n) => this.pull(key, n)));
  }

  checkRuns(key: RepoKey): CheckRunSnapshot[] {
    return this.#store.repo(key).checkRuns.map((r) => ({
      id: r.id, name: r.name, headSha: r.headSha, status: r.status, conclusion: r.conclusion,
      title: r.title, summary: r.summary, text: r.text, detailsUrl: r.detailsUrl, annotations: [...r.annotations],
    }));
  }

  branches(key: RepoKey): Promise<Record<string, string>> {
    return this.#store.git.branches(this.#store.repo(key).bareDir);
  }

  /** A file's text on a branch (default branch when omitted), or null when absent. */
  async readFile(key: RepoKey, path: string, ref?: string): Promise<string | null> {
    const repo = this.#store.repo(key);
    const commit = await this.#store.git.resolve(repo.bareDir, ref ?? repo.defaultBranch);
    if (!commit) return null;
    const found = await this.#store.git.readPath(repo.bareDir, commit, path);
    return found?.kind === "file" ? found.content.toString("utf8") : null;
  }

  /** The bare repository on disk (for tests that inspect commits with git directly). */
  bareRepositoryPath(key: RepoKey): string {
    return this.#store.repo(key).bareDir;
  }

  /** Requests no route handled: gaps in the stand-in, or wrong URLs in the app. */
  unhandledRequests(): RequestLogEntry[] {
    return this.requests.filter((r) => !r.handled);
  }

  /** GitHub's JSON for stand-in objects, to build webhook payloads that match the stand-in's state. */
  get rest() {
    const store = this.#store;
    const ser = this.#ser;
    return {
      repository: (key: RepoKey) => ser.repository(store.repo(key)),
      issue: (key: RepoKey, number: number) => {
        const repo = store.repo(key);
        return ser.issue(repo, store.issue(repo, number), store.commentsOn(repo, number).length);
      },
      comment: (key: RepoKey, id: number) => {
        const repo = store.repo(key);
        return ser.comment(repo, store.comment(repo, id));
      },
      reviewComment: (key: RepoKey, id: number) => {
        const repo = store.repo(key);
        return ser.reviewComment(repo, store.reviewComment(repo, id));
      },
      pullRequest: async (key: RepoKey, number: number) => {
        const repo = store.repo(key);
        const issue = store.pull(repo, number);
        await store.refreshPull(repo, issue.pull);
        return ser.pullRequest(repo, issue, issue.pull, (login) => store.user(login));
      },
      review: (key: RepoKey, pullNumber: number, reviewId: number) => {
        const repo = store.repo(key);
        const review = store.pull(repo, pullNumber).pull.reviews.find((r) => r.id === reviewId);
        if (!review) throw new Error(`stand-in: no review ${reviewId} on #${pullNumber}`);
        return ser.review(repo, pullNumber, review);
      },
      user: (login: string) => ser.user(store.user(login)),
      installation: () => ({ id: this.installationId, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${this.installationId}` }),
    };
  }

  // --- HTTP ------------------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const method = (req.method ?? "GET").toUpperCase();
    const log = (entry: Omit<RequestLogEntry, "method" | "query">) =>
      this.requests.push({ method, query: url.search, ...entry });

    const gitPath = GIT_PATH.exec(url.pathname);
    if (gitPath) return this.#handleGit(req, res, url, gitPath, log);

    const body = await readBody(req);
    if (url.pathname === "/api/graphql" && method === "POST") return this.#handleGraphql(req, res, body, log);
    if (url.pathname.startsWith("/api/v3/") || url.pathname === "/api/v3") {
      return this.#handleRest(req, res, url, method, body, log);
    }
    log({ kind: "other", path: url.pathname, status: 404, auth: "none", handled: false });
    this.#sendJson(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  }

  #authenticate(req: IncomingMessage): { kind: "installation"; installationId: number } | { kind: "app" } | { kind: "none" } | { kind: "invalid"; message: string } {
    const header = req.headers.authorization;
    if (!header) return { kind: "none" };
    const match = /^(token|bearer)\s+(\S+)$/i.exec(header);
    if (!match) return { kind: "invalid", message: "Bad credentials" };
    const credential = match[2]!;
    if (credential.split(".").length === 3) {
      const check = verifyAppJwt(credential, this.#keys.publicKey, this.appId);
      return check.ok ? { kind: "app" } : { kind: "invalid", message: check.message };
    }
    const installationId = this.#tokens.installationFor(credential);
    return installationId === undefined ? { kind: "invalid", message: "Bad credentials" } : { kind: "installation", installationId };
  }

  #hasPermission(required: Route["permissions"]): boolean {
    if (required.length === 0) return true;
    return required.some((entry) => {
      const [scope, level] = entry.split(":") as [string, string];
      return (LEVELS[this.#permissions[scope] ?? ""] ?? 0) >= (LEVELS[level] ?? 99);
    });
  }

  #takeFailure(method: string, path: string): InjectedFailure | undefined {
    const failure = this.#failures.find(
      (f) => f.remaining > 0 && (!f.method || f.method === method) && (typeof f.path === "string" ? path.includes(f.path) : f.path.test(path)),
    );
    if (failure) failure.remaining -= 1;
    return failure;
  }

  async #handleRest(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    rawBody: Buffer,
    log: (entry: Omit<RequestLogEntry, "method" | "query">) => void,
  ): Promise<void> {
    const path = url.pathname.slice("/api/v3".length) || "/";
    const auth = this.#authenticate(req);
    const send = (response: ApiResponse, handled: boolean) => {
      log({ kind: "rest", path, status: response.status, auth: auth.kind, handled });
      if (response.raw !== undefined) {
        res.writeHead(response.status, { ...response.headers, "x-github-request-id": randomBytes(6).toString("hex") });
        res.end(response.raw);
      } else {
        this.#sendJson(res, response.status, response.body, response.headers);
      }
    };
    const fail = (status: number, message: string, extra: Record<string, unknown> = {}, handled = true) =>
      send({ status, body: { message, ...extra, documentation_url: "https://docs.github.com/rest", status: String(status) } }, handled);

    const found = match(this.#routes, method, path);
    if (!found) return fail(404, "Not Found", {}, false);
    const { route, params } = found;
    if (auth.kind === "invalid") return fail(401, auth.message);
    if (route.auth === "app" && auth.kind !== "app") {
      return fail(401, "A JSON web token could not be decoded (this endpoint requires the app's JWT)");
    }
    if (route.auth === "installation") {
      if (auth.kind !== "installation") {
        return fail(401, auth.kind === "app" ? "This endpoint requires an installation token, not the app JWT" : "Requires authentication");
      }
      if (!this.#hasPermission(route.permissions)) return fail(403, "Resource not accessible by integration");
    }
    const failure = this.#takeFailure(method, path);
    if (failure) return fail(failure.status, failure.message);

    let body: unknown = undefined;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString("utf8"));
      } catch {
        return fail(400, "Problems parsing JSON");
      }
    }
    try {
      const response = await route.handler({
        method,
        path,
        params,
        query: url.searchParams,
        headers: req.headers,
        body,
        installationId: auth.kind === "installation" ? auth.installationId : undefined,
      });
      send(response, true);
    } catch (error) {
      if (error instanceof HttpError) return fail(error.status, error.message, error.extra);
      throw error;
    }
  }

  #handleGraphql(
    req: IncomingMessage,
    res: ServerResponse,
    rawBody: Buffer,
    log: (entry: Omit<RequestLogEntry, "method" | "query">) => void,
  ): void {
    const auth = this.#authenticate(req);
    if (auth.kind !== "installation") {
      log({ kind: "graphql", path: "/api/graphql", status: 401, auth: auth.kind, handled: true });
      return this.#sendJson(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/graphql" });
    }
    let call: GraphqlCall;
    try {
      const parsed = JSON.parse(rawBody.toString("utf8")) as { query?: unknown; variables?: unknown };
      call = {
        query: typeof parsed.query === "string" ? parsed.query : "",
        variables: parsed.variables && typeof parsed.variables === "object" ? (parsed.variables as Record<string, unknown>) : {},
      };
    } catch {
      log({ kind: "graphql", path: "/api/graphql", status: 400, auth: auth.kind, handled: true });
      return this.#sendJson(res, 400, { message: "Problems parsing JSON" });
    }
    this.graphqlCalls.push(call);
    const result = handleGraphql(this.#store, call, this.botLogin);
    log({ kind: "graphql", path: "/api/graphql", status: 200, auth: auth.kind, handled: result.handled });
    this.#sendJson(res, 200, result.body);
  }

  async #handleGit(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    gitPath: RegExpExecArray,
    log: (entry: Omit<RequestLogEntry, "method" | "query">) => void,
  ): Promise<void> {
    const [, owner, name, rest] = gitPath as unknown as [string, string, string, string];
    const path = url.pathname;
    const deny = (status: number, message: string, auth: RequestLogEntry["auth"], headers: Record<string, string> = {}) => {
      req.resume();
      log({ kind: "git", path, status, auth, handled: true });
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
      res.end(`${message}\n`);
    };
    const header = req.headers.authorization ?? "";
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    const password = basic ? Buffer.from(basic[1]!, "base64").toString("utf8").split(":").slice(1).join(":") : "";
    if (!password || this.#tokens.installationFor(password) === undefined) {
      return deny(401, "Invalid username or password.", header ? "invalid" : "none", { "www-authenticate": 'Basic realm="GitHub"' });
    }
    let repo: RepoState;
    try {
      repo = this.#store.repo(`${owner}/${name}`);
    } catch {
      return deny(404, "Repository not found.", "installation");
    }
    const pushing = rest.endsWith("/git-receive-pack") || url.searchParams.get("service") === "git-receive-pack";
    if (!this.#hasPermission([pushing ? "contents:write" : "contents:read"])) {
      return deny(403, `Permission to ${repo.fullName}.git denied to ${this.botLogin}.`, "installation");
    }
    const status = await serveGitHttp(req, res, {
      projectRoot: join(this.#root, "repos"),
      pathInfo: `/${repo.owner.login}/${repo.name}.git${rest}`,
      query: url.search.replace(/^\?/, ""),
      extraEnv: { STANDIN_WORKFLOWS_PERMISSION: this.#permissions.workflows === "write" ? "1" : "0" },
    });
    log({ kind: "git", path, status, auth: "installation", handled: true });
  }

  #sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-media-type": "github.v3; format=json",
      "x-github-request-id": randomBytes(6).toString("hex"),
      ...headers,
    });
    res.end(text);
  }

  #issueSnapshot(issue: IssueState): IssueSnapshot {
    return {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      author: issue.user.login,
      labels: [...issue.labels],
      isPullRequest: issue.pull !== null,
    };
  }

  #commentSnapshot(comment: { id: number; issueNumber: number; body: string; user: { login: string; type: string }; createdAt: string; updatedAt: string }): CommentSnapshot {
    return {
      id: comment.id,
      issueNumber: comment.issueNumber,
      body: comment.body,
      author: comment.user.login,
      authorType: comment.user.type,
      createdAt: comment.createdAt,
      updatedAt: comment.updatedAt,
    };
  }
}

export const startGitHubStandIn = (options?: GitHubStandInOptions): Promise<GitHubStandIn> => GitHubStandIn.start(options);

/** The hunk of `patch` holding new-side line `line`, from its header down to that line; undefined outside the diff. */
function hunkUpTo(patch: string, line: number): string | undefined {
  const lines = patch.split("\n");
  let start = -1;
  let newLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(lines[i]!);
    if (header) {
      start = i;
      newLine = Number(header[1]);
      continue;
    }
    if (start < 0 || lines[i]!.startsWith("-") || lines[i]!.startsWith("\\")) continue;
    if (newLine === line) return lines.slice(start, i + 1).join("\n");
    newLine++;
  }
  return undefined;
}
