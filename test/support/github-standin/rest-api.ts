import { compile, HttpError, validationFailed, type ApiRequest, type ApiResponse, type Route } from "./router.js";
import { now, PERMISSION_FOR_ROLE, REACTIONS, type CheckRunState, type IssueState, type PullState, type ReactionState, type RepoState, type Serializer } from "./state.js";
import type { StandInStore } from "./store.js";
import type { InstallationTokens } from "./app-auth.js";

export interface RestContext {
  store: StandInStore;
  ser: Serializer;
  tokens: InstallationTokens;
  installationId: number;
  appPermissions: () => Record<string, string>;
  botLogin: string;
}

const json = (body: unknown, status = 200, headers?: Record<string, string>): ApiResponse => ({ status, body, headers });

const asObject = (body: unknown): Record<string, unknown> =>
  body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

const optionalString = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw validationFailed([{ resource: "Request", field, code: "invalid" }], `Invalid request.\n\n"${field}" must be a string.`);
  return value;
};

const requiredString = (value: unknown, field: string, resource: string): string => {
  const text = optionalString(value, field);
  if (!text) throw validationFailed([{ resource, field, code: "missing_field" }]);
  return text;
};

const numberParam = (value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new HttpError(404, "Not Found");
  return n;
};

/** GitHub's page/per_page pagination with a Link header, so `octokit.paginate` walks it like the real API. */
function paginate(req: ApiRequest, apiUrl: string, items: unknown[]): ApiResponse {
  const perPage = Math.min(Math.max(Number(req.query.get("per_page") ?? 30) || 30, 1), 100);
  const page = Math.max(Number(req.query.get("page") ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string) => {
    const query = new URLSearchParams(req.query);
    query.set("page", String(p));
    query.set("per_page", String(perPage));
    return `<${apiUrl}${req.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"), link(1, "first"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  return json(items.slice((page - 1) * perPage, page * perPage), 200, links.length ? { link: links.join(", ") } : undefined);
}

/** GitHub wraps base64 content at 60 characters per line. */
const wrapBase64 = (content: Buffer): string => (content.toString("base64").match(/.{1,60}/g) ?? []).join("\n") + (content.length ? "\n" : "");

const isUtf8Text = (content: Buffer): boolean => !content.includes(0) && Buffer.from(content.toString("utf8"), "utf8").equals(content);

const RAW_MEDIA = /application\/vnd\.github(\.v3)?\.raw/;
/** GitHub's contents API leaves `content` empty for files over 1 MB; clients must ask for the raw media type. */
const CONTENTS_JSON_LIMIT = 1024 * 1024;

export function buildRestRoutes(ctx: RestContext): Route[] {
  const { store, ser } = ctx;
  const routes: Route[] = [];
  const add = (
    method: string,
    path: string,
    permissions: Route["permissions"],
    handler: Route["handler"],
    auth: Route["auth"] = "installation",
  ) => routes.push({ method, ...compile(path), auth, permissions, handler });

  const repoOf = (req: ApiRequest): RepoState => store.repo(`${req.params.owner}/${req.params.repo}`);
  const bot = () => store.user(ctx.botLogin, "Bot");
  const issueJson = (repo: RepoState, issue: IssueState) => ser.issue(repo, issue, store.commentsOn(repo, issue.number).length);
  const pullJson = async (repo: RepoState, issue: IssueState & { pull: PullState }) => {
    await store.refreshPull(repo, issue.pull);
    return ser.pullRequest(repo, issue, issue.pull, (login) => store.user(login));
  };
  const installationJson = () => ({
    id: ctx.installationId,
    account: ser.user(store.user(ser.app.ownerLogin, "Organization")),
    app_id: ser.app.id,
    app_slug: ser.app.slug,
    target_type: "Organization",
    permissions: ctx.appPermissions(),
    events: ["issue_comment", "pull_request", "pull_request_review", "pull_request_review_comment", "push"],
    repository_selection: "all",
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
  });

  // --- App (JWT) endpoints -------------------------------------------------------------------------
  add("GET", "/app", [], () => json({ ...ser.appJson(), permissions: ctx.appPermissions() }), "app");
  add("GET", "/app/installations/:id", [], (req) => {
    if (Number(req.params.id) !== ctx.installationId) throw new HttpError(404, "Not Found");
    return json(installationJson());
  }, "app");
  add("POST", "/app/installations/:id/access_tokens", [], (req) => {
    if (Number(req.params.id) !== ctx.installationId) throw new HttpError(404, "Not Found");
    const minted = ctx.tokens.mint(ctx.installationId);
    return json({ token: minted.token, expires_at: minted.expiresAt, permissions: ctx.appPermissions(), repository_selection: "all" }, 201);
  }, "app");
  add("GET", "/repos/:owner/:repo/installation", [], (req) => {
    repoOf(req);
    return json(installationJson());
  }, "app");

  // --- Repositories ---------------------------------------------------------------------------------
  add("GET", "/repos/:owner/:repo", ["metadata:read"], (req) => json(ser.repository(repoOf(req))));
  add("GET", "/repos/:owner/:repo/collaborators/:username/permission", ["metadata:read"], (req) => {
    const repo = repoOf(req);
    const role = store.role(repo, req.params.username!);
    return json({ permission: PERMISSION_FOR_ROLE[role], role_name: role, user: ser.user(store.user(req.params.username!)) });
  });
  add("GET", "/repos/:owner/:repo/branches", ["contents:read"], async (req) => {
    const repo = repoOf(req);
    const branches = await store.git.branches(repo.bareDir);
    return paginate(req, ser.apiUrl, Object.entries(branches).map(([name, sha]) => ({
      name,
      commit: { sha, url: `${ser.apiUrl}/repos/${repo.fullName}/commits/${sha}` },
      protected: false,
    })));
  });
  add("GET", "/repos/:owner/:repo/branches/*branch", ["contents:read"], async (req) => {
    const repo = repoOf(req);
    const sha = await store.git.resolve(repo.bareDir, `refs/heads/${req.params.branch}`);
    if (!sha) throw new HttpError(404, "Branch not found");
    return json({ name: req.params.branch, commit: { sha, url: `${ser.apiUrl}/repos/${repo.fullName}/commits/${sha}` }, protected: false });
  });

  const contents = async (req: ApiRequest): Promise<ApiResponse> => {
    const repo = repoOf(req);
    const ref = req.query.get("ref") || repo.defaultBranch;
    const commit = await store.git.resolve(repo.bareDir, ref);
    if (!commit) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const path = (req.params.path ?? "").replace(/^\/+|\/+$/g, "");
    const found = await store.git.readPath(repo.bareDir, commit, path);
    if (!found) throw new HttpError(404, "Not Found");
    const self = (p: string) => `${ser.apiUrl}/repos/${repo.fullName}/contents/${p}?ref=${encodeURIComponent(ref)}`;
    const html = (p: string, kind: string) => `${ser.htmlUrl}/${repo.fullName}/${kind}/${ref}/${p}`;
    if (found.kind === "dir") {
      return json(found.entries.map((entry) => {
        const p = path ? `${path}/${entry.name}` : entry.name;
        const type = entry.type === "tree" ? "dir" : entry.type === "commit" ? "submodule" : entry.mode === "120000" ? "symlink" : "file";
        return {
          type, size: entry.size, name: entry.name, path: p, sha: entry.sha, url: self(p),
          html_url: html(p, type === "dir" ? "tree" : "blob"),
          download_url: type === "file" ? `${ser.htmlUrl}/${repo.fullName}/raw/${ref}/${p}` : null,
        };
      }));
    }
    if (found.kind === "submodule") {
      return json({ type: "submodule", name: path.split("/").pop(), path, sha: found.sha, size: 0, url: self(path) });
    }
    if (RAW_MEDIA.test(String(req.headers.accept ?? ""))) {
      const type = isUtf8Text(found.content) ? "text/plain; charset=utf-8" : "application/octet-stream";
      return { status: 200, raw: found.content, headers: { "content-type": type } };
    }
    const common = {
      name: path.split("/").pop(), path, sha: found.sha, size: found.content.length, url: self(path),
      html_url: html(path, "blob"), git_url: `${ser.apiUrl}/repos/${repo.fullName}/git/blobs/${found.sha}`,
      download_url: `${ser.htmlUrl}/${repo.fullName}/raw/${ref}/${path}`,
    };
    if (found.mode === "120000") return json({ type: "symlink", target: found.content.toString("utf8"), ...common });
    const small = found.content.length <= CONTENTS_JSON_LIMIT;
    return json({
      type: "file",
      encoding: small ? "base64" : "none",
      content: small ? wrapBase64(found.content) : "",
      ...common,
    });
  };
  add("GET", "/repos/:owner/:repo/contents", ["contents:read"], contents);
  add("GET", "/repos/:owner/:repo/contents/*path", ["contents:read"], contents);

  // --- Issues and comments ----------------------------------------------------------------------------
  const issueRead: Route["permissions"] = ["issues:read", "pull_requests:read"];
  const issueWrite: Route["permissions"] = ["issues:write", "pull_requests:write"];
  add("GET", "/repos/:owner/:repo/issues/:number", issueRead, (req) => {
    const repo = repoOf(req);
    return json(issueJson(repo, store.issue(repo, numberParam(req.params.number))));
  });
  add("POST", "/repos/:owner/:repo/issues", ["issues:write"], (req) => {
    const repo = repoOf(req);
    const body = asObject(req.body);
    const issue = store.createIssue(repo, {
      title: requiredString(body.title, "title", "Issue"),
      body: optionalString(body.body, "body"),
      user: bot(),
      labels: Array.isArray(body.labels) ? body.labels.map(String) : [],
    });
    return json(issueJson(repo, issue), 201);
  });
  add("GET", "/repos/:owner/:repo/issues/:number/comments", issueRead, (req) => {
    const repo = repoOf(req);
    const issue = store.issue(repo, numberParam(req.params.number));
    return paginate(req, ser.apiUrl, store.commentsOn(repo, issue.number).map((c) => ser.comment(repo, c)));
  });
  add("POST", "/repos/:owner/:repo/issues/:number/comments", issueWrite, (req) => {
    const repo = repoOf(req);
    const issue = store.issue(repo, numberParam(req.params.number));
    const body = requiredString(asObject(req.body).body, "body", "IssueComment");
    if (body.length > 65536) throw validationFailed([{ resource: "IssueComment", field: "body", code: "custom", message: "body is too long (maximum is 65536 characters)" }]);
    return json(ser.comment(repo, store.createComment(repo, issue, body, bot())), 201);
  });
  add("GET", "/repos/:owner/:repo/issues/comments/:id", issueRead, (req) => {
    const repo = repoOf(req);
    return json(ser.comment(repo, store.comment(repo, numberParam(req.params.id))));
  });
  add("PATCH", "/repos/:owner/:repo/issues/comments/:id", issueWrite, (req) => {
    const repo = repoOf(req);
    const comment = store.comment(repo, numberParam(req.params.id));
    comment.body = requiredString(asObject(req.body).body, "body", "IssueComment");
    comment.updatedAt = now();
    return json(ser.comment(repo, comment));
  });
  add("GET", "/repos/:owner/:repo/issues/comments/:id/reactions", issueRead, (req) => {
    const repo = repoOf(req);
    const comment = store.comment(repo, numberParam(req.params.id));
    const content = req.query.get("content");
    return paginate(req, ser.apiUrl, comment.reactions.filter((r) => !content || r.content === content).map((r) => ser.reaction(r)));
  });
  // The app's reaction on a comment: 201 when new, 200 when it was already there (as GitHub answers).
  const react = (target: { reactions: ReactionState[] }, body: unknown): ApiResponse => {
    const content = asObject(body).content;
    if (typeof content !== "string" || !REACTIONS.includes(content as never)) {
      throw validationFailed([{ resource: "Reaction", field: "content", code: "invalid" }]);
    }
    const user = bot();
    const existing = target.reactions.find((r) => r.content === content && r.user.login === user.login);
    if (existing) return json(ser.reaction(existing), 200);
    const reaction = { id: store.nextId("reaction"), content: content as (typeof REACTIONS)[number], user, createdAt: now() };
    target.reactions.push(reaction);
    return json(ser.reaction(reaction), 201);
  };
  add("POST", "/repos/:owner/:repo/issues/comments/:id/reactions", issueWrite, (req) => react(store.comment(repoOf(req), numberParam(req.params.id)), req.body));

  add("POST", "/repos/:owner/:repo/pulls/comments/:id/reactions", ["pull_requests:write"], (req) => react(store.reviewComment(repoOf(req), numberParam(req.params.id)), req.body));

  // --- Labels -------------------------------------------------------------------------------------------
  add("GET", "/repos/:owner/:repo/labels", issueRead, (req) => {
    const repo = repoOf(req);
    return paginate(req, ser.apiUrl, [...repo.labels.values()].map((l) => ser.label(repo, l)));
  });
  add("GET", "/repos/:owner/:repo/labels/:name", issueRead, (req) => {
    const repo = repoOf(req);
    const label = repo.labels.get(req.params.name!.toLowerCase());
    if (!label) throw new HttpError(404, "Not Found");
    return json(ser.label(repo, label));
  });
  add("POST", "/repos/:owner/:repo/labels", issueWrite, (req) => {
    const repo = repoOf(req);
    const body = asObject(req.body);
    const name = requiredString(body.name, "name", "Label");
    const color = (optionalString(body.color, "color") ?? "ededed").replace(/^#/, "");
    if (!/^[0-9a-fA-F]{6}$/.test(color)) throw validationFailed([{ resource: "Label", field: "color", code: "invalid" }]);
    if (name.length > 50) throw validationFailed([{ resource: "Label", field: "name", code: "invalid" }]);
    if (repo.labels.has(name.toLowerCase())) throw validationFailed([{ resource: "Label", field: "name", code: "already_exists" }]);
    const label = { id: store.nextId("label"), name, color: color.toLowerCase(), description: optionalString(body.description, "description") ?? null };
    repo.labels.set(name.toLowerCase(), label);
    return json(ser.label(repo, label), 201);
  });
  add("GET", "/repos/:owner/:repo/issues/:number/labels", issueRead, (req) => {
    const repo = repoOf(req);
    const issue = store.issue(repo, numberParam(req.params.number));
    return paginate(req, ser.apiUrl, (issueJson(repo, issue).labels as unknown[]));
  });
  add("POST", "/repos/:owner/:repo/issues/:number/labels", issueWrite, (req) => {
    const repo = repoOf(req);
    const issue = store.issue(repo, numberParam(req.params.number));
    const raw = Array.isArray(req.body) ? req.body : asObject(req.body).labels;
    if (!Array.isArray(raw) || raw.length === 0) throw validationFailed([{ resource: "Label", field: "labels", code: "missing_field" }]);
    for (const entry of raw) {
      const name = typeof entry === "string" ? entry : asObject(entry).name;
      if (typeof name !== "string" || !name) throw validationFailed([{ resource: "Label", field: "name", code: "invalid" }]);
      store.attachLabel(repo, issue, name);
    }
    return json(issueJson(repo, issue).labels);
  });
  add("DELETE", "/repos/:owner/:repo/issues/:number/labels/:name", issueWrite, (req) => {
    const repo = repoOf(req);
    const issue = store.issue(repo, numberParam(req.params.number));
    const index = issue.labels.findIndex((l) => l.toLowerCase() === req.params.name!.toLowerCase());
    if (index < 0) throw new HttpError(404, "Label does not exist");
    issue.labels.splice(index, 1);
    issue.updatedAt = now();
    return json(issueJson(repo, issue).labels);
  });

  // --- Pull requests ----------------------------------------------------------------------------------
  add("POST", "/repos/:owner/:repo/pulls", ["pull_requests:write"], async (req) => {
    const repo = repoOf(req);
    const body = asObject(req.body);
    const title = requiredString(body.title, "title", "PullRequest");
    let head = requiredString(body.head, "head", "PullRequest");
    const base = requiredString(body.base, "base", "PullRequest");
    if (head.includes(":")) {
      const [owner, ref] = head.split(":", 2) as [string, string];
      if (owner.toLowerCase() !== repo.owner.login.toLowerCase()) throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
      head = ref;
    }
    const headSha = await store.git.resolve(repo.bareDir, `refs/heads/${head}`);
    if (!headSha) throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
    const baseSha = await store.git.resolve(repo.bareDir, `refs/heads/${base}`);
    if (!baseSha) throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
    if ((await store.git.countCommitsBetween(repo.bareDir, baseSha, headSha)) === 0) {
      throw validationFailed([{ resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${head}` }]);
    }
    const duplicate = [...repo.issues.values()].some((i) => i.pull && i.state === "open" && i.pull.headRef === head && i.pull.baseRef === base);
    if (duplicate) {
      throw validationFailed([{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner.login}:${head}.` }]);
    }
    const draft = body.draft === true;
    if (draft && !repo.draftPullRequests) throw validationFailed([{ resource: "PullRequest", code: "custom", message: "Draft pull requests are not supported in this repository." }]);
    const issue = store.createIssue(repo, { title, body: optionalString(body.body, "body"), user: bot() });
    issue.pull = {
      headRef: head, baseRef: base, headSha, baseSha, draft, merged: false,
      requestedReviewers: [], requestedTeams: [], reviews: [], autoMerge: null,
    };
    return json(await pullJson(repo, issue as IssueState & { pull: PullState }), 201);
  });
  add("GET", "/repos/:owner/:repo/pulls", ["pull_requests:read"], async (req) => {
    const repo = repoOf(req);
    const state = req.query.get("state") ?? "open";
    const headFilter = req.query.get("head");
    const baseFilter = req.query.get("base");
    const selected = [...repo.issues.values()]
      .filter((i): i is IssueState & { pull: PullState } => i.pull !== null)
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => {
        if (!headFilter) return true;
        const [owner, ref] = headFilter.includes(":") ? headFilter.split(":", 2) : [repo.owner.login, headFilter];
        return owner!.toLowerCase() === repo.owner.login.toLowerCase() && i.pull.headRef === ref;
      })
      .filter((i) => !baseFilter || i.pull.baseRef === baseFilter)
      .sort((a, b) => (req.query.get("direction") === "asc" ? a.number - b.number : b.number - a.number));
    const list = [];
    for (const issue of selected) list.push(await pullJson(repo, issue));
    return paginate(req, ser.apiUrl, list);
  });
  add("GET", "/repos/:owner/:repo/pulls/:number", ["pull_requests:read"], async (req) => {
    const repo = repoOf(req);
    return json(await pullJson(repo, store.pull(repo, numberParam(req.params.number))));
  });
  add("GET", "/repos/:owner/:repo/pulls/:number/files", ["pull_requests:read"], async (req) => {
    const repo = repoOf(req);
    const issue = store.pull(repo, numberParam(req.params.number));
    await store.refreshPull(repo, issue.pull);
    const files = await store.git.pullRequestFiles(repo.bareDir, issue.pull.baseSha, issue.pull.headSha);
    // GitHub lists at most 3,000 files of a pull request.
    const listed = files.slice(0, 3000).map((f) => ({
      sha: null,
      filename: f.filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      blob_url: `${ser.htmlUrl}/${repo.fullName}/blob/${issue.pull.headSha}/${f.filename}`,
      raw_url: `${ser.htmlUrl}/${repo.fullName}/raw/${issue.pull.headSha}/${f.filename}`,
      contents_url: `${ser.apiUrl}/repos/${repo.fullName}/contents/${f.filename}?ref=${issue.pull.headSha}`,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
    }));
    return paginate(req, ser.apiUrl, listed);
  });
  add("PATCH", "/repos/:owner/:repo/pulls/:number", ["pull_requests:write"], async (req) => {
    const repo = repoOf(req);
    const issue = store.pull(repo, numberParam(req.params.number));
    const body = asObject(req.body);
    const title = optionalString(body.title, "title");
    const text = optionalString(body.body, "body");
    const state = optionalString(body.state, "state");
    const base = optionalString(body.base, "base");
    if (title !== undefined) issue.title = title;
    if (text !== undefined) issue.body = text;
    if (state === "open" || state === "closed") {
      issue.state = state;
      issue.closedAt = state === "closed" ? now() : null;
    } else if (state !== undefined) throw validationFailed([{ resource: "PullRequest", field: "state", code: "invalid" }]);
    if (base !== undefined) {
      if (!(await store.git.resolve(repo.bareDir, `refs/heads/${base}`))) throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
      issue.pull.baseRef = base;
    }
    issue.updatedAt = now();
    return json(await pullJson(repo, issue));
  });
  add("POST", "/repos/:owner/:repo/pulls/:number/requested_reviewers", ["pull_requests:write"], async (req) => {
    const repo = repoOf(req);
    const issue = store.pull(repo, numberParam(req.params.number));
    const body = asObject(req.body);
    const users = Array.isArray(body.reviewers) ? body.reviewers.map(String) : [];
    const teams = Array.isArray(body.team_reviewers) ? body.team_reviewers.map(String) : [];
    if (users.some((u) => u.toLowerCase() === issue.user.login.toLowerCase())) {
      throw validationFailed([], "Review cannot be requested from pull request author.");
    }
    for (const u of users) if (!issue.pull.requestedReviewers.includes(u)) issue.pull.requestedReviewers.push(u);
    for (const t of teams) if (!issue.pull.requestedTeams.includes(t)) issue.pull.requestedTeams.push(t);
    return json(await pullJson(repo, issue), 201);
  });
  add("GET", "/repos/:owner/:repo/pulls/:number/requested_reviewers", ["pull_requests:read"], (req) => {
    const repo = repoOf(req);
    const issue = store.pull(repo, numberParam(req.params.number));
    return json({
      users: issue.pull.requestedReviewers.map((u) => ser.user(store.user(u))),
      teams: issue.pull.requestedTeams.map((slug, i) => ({ id: i + 1, slug, name: slug })),
    });
  });
  add("GET", "/repos/:owner/:repo/pulls/:number/reviews", ["pull_requests:read"], (req) => {
    const repo = repoOf(req);
    const issue = store.pull(repo, numberParam(req.params.number));
    return paginate(req, ser.apiUrl, issue.pull.reviews.map((r) => ser.review(repo, issue.number, r)));
  });

  // --- Check runs ---------------------------------------------------------------------------------------
  const applyCheckRun = (run: CheckRunState, body: Record<string, unknown>) => {
    const status = optionalString(body.status, "status");
    const conclusion = optionalString(body.conclusion, "conclusion");
    const conclusions = ["success", "failure", "neutral", "cancelled", "timed_out", "action_required", "skipped", "stale"];
    if (status !== undefined && !["queued", "in_progress", "completed"].includes(status)) throw validationFailed([{ resource: "CheckRun", field: "status", code: "invalid" }]);
    if (conclusion !== undefined && !conclusions.includes(conclusion)) throw validationFailed([{ resource: "CheckRun", field: "conclusion", code: "invalid" }]);
    if (status === "completed" && conclusion === undefined && run.conclusion === null) {
      throw validationFailed([], "Invalid request.\n\nconclusion is required when status is completed.");
    }
    const name = optionalString(body.name, "name");
    if (name !== undefined) run.name = name;
    if (status !== undefined) run.status = status as CheckRunState["status"];
    if (conclusion !== undefined) {
      run.conclusion = conclusion;
      run.status = "completed";
    }
    if (run.status === "completed" && !run.completedAt) run.completedAt = optionalString(body.completed_at, "completed_at") ?? now();
    const details = optionalString(body.details_url, "details_url");
    if (details !== undefined) run.detailsUrl = details;
    const external = optionalString(body.external_id, "external_id");
    if (external !== undefined) run.externalId = external;
    if (body.output !== undefined) {
      const output = asObject(body.output);
      const title = requiredString(output.title, "output.title", "CheckRun");
      const summary = requiredString(output.summary, "output.summary", "CheckRun");
      if (summary.length > 65535) throw validationFailed([{ resource: "CheckRun", field: "output.summary", code: "custom", message: "summary is too long" }]);
      run.title = title;
      run.summary = summary;
      run.text = optionalString(output.text, "output.text") ?? run.text;
      const annotations = Array.isArray(output.annotations) ? output.annotations : [];
      if (annotations.length > 50) throw validationFailed([{ resource: "CheckRun", field: "output.annotations", code: "custom", message: "at most 50 annotations per request" }]);
      run.annotations.push(...annotations);
    }
    if (Array.isArray(body.actions)) {
      if (body.actions.length > 3) throw validationFailed([{ resource: "CheckRun", field: "actions", code: "custom", message: "at most 3 actions" }]);
      run.actions = body.actions;
    }
  };
  add("POST", "/repos/:owner/:repo/check-runs", ["checks:write"], async (req) => {
    const repo = repoOf(req);
    const body = asObject(req.body);
    const name = requiredString(body.name, "name", "CheckRun");
    const headSha = requiredString(body.head_sha, "head_sha", "CheckRun");
    const resolved = /^[0-9a-f]{40}$/.test(headSha) ? await store.git.resolve(repo.bareDir, headSha) : null;
    if (!resolved) throw validationFailed([{ resource: "CheckRun", field: "head_sha", code: "invalid" }], `No commit found for SHA: ${headSha}`);
    const run: CheckRunState = {
      id: store.nextId("check"), name, headSha, status: "queued", conclusion: null, title: null, summary: null, text: null,
      annotations: [], detailsUrl: null, externalId: null, startedAt: optionalString(body.started_at, "started_at") ?? now(),
      completedAt: null, actions: [],
    };
    applyCheckRun(run, body);
    repo.checkRuns.push(run);
    return json(ser.checkRun(repo, run), 201);
  });
  const findRun = (repo: RepoState, id: string | undefined): CheckRunState => {
    const run = repo.checkRuns.find((r) => r.id === Number(id));
    if (!run) throw new HttpError(404, "Not Found");
    return run;
  };
  add("GET", "/repos/:owner/:repo/check-runs/:id", ["checks:read"], (req) => {
    const repo = repoOf(req);
    return json(ser.checkRun(repo, findRun(repo, req.params.id)));
  });
  add("PATCH", "/repos/:owner/:repo/check-runs/:id", ["checks:write"], (req) => {
    const repo = repoOf(req);
    const run = findRun(repo, req.params.id);
    applyCheckRun(run, asObject(req.body));
    return json(ser.checkRun(repo, run));
  });
  add("GET", "/repos/:owner/:repo/commits/*ref/check-runs", ["checks:read"], async (req) => {
    const repo = repoOf(req);
    const sha = await store.git.resolve(repo.bareDir, req.params.ref!);
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${req.params.ref}`);
    const name = req.query.get("check_name");
    const status = req.query.get("status");
    const runs = repo.checkRuns.filter((r) => r.headSha === sha && (!name || r.name === name) && (!status || r.status === status));
    const page = paginate(req, ser.apiUrl, runs.map((r) => ser.checkRun(repo, r)));
    return { ...page, body: { total_count: runs.length, check_runs: page.body } };
  });

  return routes;
}
