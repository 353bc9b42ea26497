import type { ProbotOctokit } from "probot";
import { GitHubApiError } from "../errors/index.js";
import { silentLogger, type Logger } from "../logging/logger.js";
import type {
  CheckRunInput,
  CommentInfo,
  Forge,
  IssueInfo,
  LabelSpec,
  Permission,
  PullRequestFile,
  PullRequestInfo,
  Reaction,
  RepoRef,
  RepositoryInfo,
  ReviewInfo,
 CheckRunInfo } from "./forge.js";
import { statusOf, withGitHubErrors } from "./github-api-error.js";

type User = { login: string; type?: string } | null | undefined;
type Label = string | { name?: string | null };

interface PullLike {
  number: number;
  node_id: string;
  html_url: string;
  state: string;
  merged?: boolean;
  merged_at: string | null;
  draft?: boolean;
  title: string;
  body: string | null;
  user: User;
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  base: { ref: string };
  labels: Label[];
}

const PERMISSIONS: readonly Permission[] = ["admin", "write", "read", "none"];
const REVIEW_STATES: readonly ReviewInfo["state"][] = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"];

const login = (user: User): string => user?.login ?? "ghost";
const isBot = (user: User): boolean => user?.type === "Bot";
const labelName = (label: Label): string => (typeof label === "string" ? label : (label.name ?? ""));
const at = (repo: RepoRef, n?: number): string => `${repo.owner}/${repo.repo}${n === undefined ? "" : `#${n}`}`;

function toPullRequestInfo(data: PullLike): PullRequestInfo {
  return {
    number: data.number,
    nodeId: data.node_id,
    htmlUrl: data.html_url,
    state: data.state === "closed" ? "closed" : "open",
    merged: data.merged ?? data.merged_at !== null,
    draft: data.draft ?? false,
    title: data.title,
    body: data.body ?? "",
    author: login(data.user),
    headRef: data.head.ref,
    headSha: data.head.sha,
    headRepo: data.head.repo?.full_name ?? null,
    baseRef: data.base.ref,
    labels: data.labels.map(labelName).filter(Boolean),
  };
}

function toCommentInfo(data: { id: number; user: User; body?: string; created_at: string; html_url: string }): CommentInfo {
  return {
    id: data.id,
    author: login(data.user),
    authorIsBot: isBot(data.user),
    body: data.body ?? "",
    createdAt: data.created_at,
    htmlUrl: data.html_url,
  };
}

/** Decode what the contents API returned for a raw request (text or bytes, depending on the content type). */
function rawToString(data: unknown): string {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  throw new GitHubApiError("GitHub returned an unexpected body for a raw file request; update OctokitForge.readFile.");
}

export interface OctokitForgeOptions {
  /**
   * The installation the Octokit acts for (`context.payload.installation.id`). When given, tokens are minted
   * with `apps.createInstallationAccessToken` through the Octokit's own base URL. Without it,
   * `octokit.auth({ type: "installation" })` is used, which in Probot 14 sends the token request to
   * api.github.com even when `baseUrl`/GHE_HOST points elsewhere (Probot gives the auth strategy its own
   * default `request`); only REST calls made through the Octokit honour the base URL.
   */
  installationId?: number;
  logger?: Logger;
}

/**
 * The Forge over a ProbotOctokit authenticated as an installation (`context.octokit`, or `await app.auth(id)`).
 * Only `octokit.rest.*`, `octokit.paginate` and `octokit.graphql`: Probot 14 removed the legacy methods.
 * Every failure becomes a GitHubApiError whose message says what to fix.
 */
export class OctokitForge implements Forge {
  readonly #octokit: ProbotOctokit;
  readonly #log: Logger;
  readonly #installationId: number | undefined;

  constructor(octokit: ProbotOctokit, options: OctokitForgeOptions = {}) {
    this.#octokit = octokit;
    this.#log = options.logger ?? silentLogger;
    this.#installationId = options.installationId;
  }

  /** A fresh token (when the installation id is known) for one git operation; never log it. */
  async installationToken(): Promise<string> {
    const action = { what: "mint an installation access token", permission: "Contents: write" };
    let token: unknown;
    if (this.#installationId !== undefined) {
      const installationId = this.#installationId;
      const { data } = await withGitHubErrors(action, () =>
        this.#octokit.rest.apps.createInstallationAccessToken({ installation_id: installationId }),
      );
      token = data.token;
    } else {
      const auth = await withGitHubErrors(action, () => this.#octokit.auth({ type: "installation" }));
      token = (auth as { token?: unknown } | null)?.token;
    }
    if (typeof token !== "string" || token.length === 0) {
      throw new GitHubApiError("The Octokit given to OctokitForge is not authenticated as an installation; pass context.octokit or await app.auth(installationId).");
    }
    return token;
  }

  async getRepository(repo: RepoRef): Promise<RepositoryInfo> {
    const { data } = await withGitHubErrors({ what: `read repository ${at(repo)}`, repo, permission: "Metadata: read" }, () =>
      this.#octokit.rest.repos.get({ ...repo }),
    );
    return { defaultBranch: data.default_branch, cloneUrl: data.clone_url, private: data.private, htmlUrl: data.html_url };
  }

  async getPermission(repo: RepoRef, username: string): Promise<Permission> {
    try {
      const { data } = await withGitHubErrors({ what: `read ${username}'s permission on ${at(repo)}`, repo, permission: "Metadata: read" }, () =>
        this.#octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username }),
      );
      return PERMISSIONS.includes(data.permission as Permission) ? (data.permission as Permission) : "none";
    } catch (error) {
      // GitHub answers 404 for users who are not collaborators (or do not exist): that is no access, not a fault.
      if (statusOf(error) === 404) return "none";
      throw error;
    }
  }

  async addReaction(repo: RepoRef, commentId: number, reaction: Reaction): Promise<void> {
    await withGitHubErrors({ what: `react to comment ${commentId} in ${at(repo)}`, repo, permission: "Issues: write" }, () =>
      this.#octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content: reaction }),
    );
  }

  async addReviewCommentReaction(repo: RepoRef, commentId: number, reaction: Reaction): Promise<void> {
    await withGitHubErrors({ what: `react to review comment ${commentId} in ${at(repo)}`, repo, permission: "Pull requests: write" }, () =>
      this.#octokit.rest.reactions.createForPullRequestReviewComment({ ...repo, comment_id: commentId, content: reaction }),
    );
  }

  async getIssue(repo: RepoRef, issueNumber: number): Promise<IssueInfo> {
    const { data } = await withGitHubErrors({ what: `read ${at(repo, issueNumber)}`, repo, permission: "Issues: read" }, () =>
      this.#octokit.rest.issues.get({ ...repo, issue_number: issueNumber }),
    );
    return {
      number: data.number,
      title: data.title,
      body: data.body ?? "",
      state: data.state === "closed" ? "closed" : "open",
      isPullRequest: data.pull_request !== undefined && data.pull_request !== null,
      htmlUrl: data.html_url,
      author: login(data.user),
      authorIsBot: isBot(data.user),
    };
  }

  async listComments(repo: RepoRef, issueNumber: number): Promise<CommentInfo[]> {
    const comments = await withGitHubErrors({ what: `list comments on ${at(repo, issueNumber)}`, repo, permission: "Issues: read" }, () =>
      this.#octokit.paginate(this.#octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 }),
    );
    return comments.map(toCommentInfo);
  }

  async createComment(repo: RepoRef, issueNumber: number, body: string): Promise<CommentInfo> {
    const { data } = await withGitHubErrors({ what: `comment on ${at(repo, issueNumber)}`, repo, permission: "Issues: write" }, () =>
      this.#octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body }),
    );
    return toCommentInfo(data);
  }

  async updateComment(repo: RepoRef, commentId: number, body: string): Promise<void> {
    await withGitHubErrors({ what: `update comment ${commentId} in ${at(repo)}`, repo, permission: "Issues: write" }, () =>
      this.#octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body }),
    );
  }

  async readFile(repo: RepoRef, path: string, ref?: string): Promise<string | null> {
    const action = { what: `read ${path} from ${at(repo)}${ref ? `@${ref}` : ""}`, repo, permission: "Contents: read" };
    const params = { ...repo, path, ...(ref ? { ref } : {}) };
    let data: unknown;
    try {
      ({ data } = await withGitHubErrors(action, () => this.#octokit.rest.repos.getContent(params)));
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
    // A directory (array), symlink or submodule is not a file at this path.
    if (Array.isArray(data) || (data as { type?: string }).type !== "file") return null;
    const file = data as { encoding?: string; content?: string };
    if (file.encoding === "base64") return Buffer.from(file.content ?? "", "base64").toString("utf8");
    // Files over 1 MB come back without content ("encoding": "none"); the raw media type has them.
    const raw = await withGitHubErrors(action, () => this.#octokit.rest.repos.getContent({ ...params, mediaType: { format: "raw" } }));
    return rawToString(raw.data);
  }

  async ensureLabels(repo: RepoRef, labels: LabelSpec[]): Promise<void> {
    if (labels.length === 0) return;
    const existing = await withGitHubErrors({ what: `list labels of ${at(repo)}`, repo, permission: "Issues: read" }, () =>
      this.#octokit.paginate(this.#octokit.rest.issues.listLabelsForRepo, { ...repo, per_page: 100 }),
    );
    const have = new Set(existing.map((label) => label.name.toLowerCase()));
    for (const label of labels) {
      if (have.has(label.name.toLowerCase())) continue;
      try {
        await withGitHubErrors({ what: `create label "${label.name}" in ${at(repo)}`, repo, permission: "Issues: write" }, () =>
          this.#octokit.rest.issues.createLabel({ ...repo, name: label.name, color: label.color.replace(/^#/, ""), description: label.description }),
        );
        this.#log.info({ repo: at(repo), label: label.name }, "created label");
      } catch (error) {
        // Another job may have created it between our list and create.
        if (statusOf(error) === 422 && /already_exists/.test(JSON.stringify((error as { cause?: { response?: { data?: unknown } } }).cause?.response?.data ?? ""))) continue;
        throw error;
      }
      have.add(label.name.toLowerCase());
    }
  }

  async addLabels(repo: RepoRef, issueNumber: number, names: string[]): Promise<void> {
    if (names.length === 0) return;
    await withGitHubErrors({ what: `label ${at(repo, issueNumber)}`, repo, permission: "Issues: write" }, () =>
      this.#octokit.rest.issues.addLabels({ ...repo, issue_number: issueNumber, labels: names }),
    );
  }

  async removeLabel(repo: RepoRef, issueNumber: number, name: string): Promise<void> {
    try {
      await withGitHubErrors({ what: `remove label "${name}" from ${at(repo, issueNumber)}`, repo, permission: "Issues: write" }, () =>
        this.#octokit.rest.issues.removeLabel({ ...repo, issue_number: issueNumber, name }),
      );
    } catch (error) {
      // Removing a label that is not there is already done.
      if (statusOf(error) === 404) return;
      throw error;
    }
  }

  async createPullRequest(
    repo: RepoRef,
    input: { head: string; base: string; title: string; body: string; draft: boolean },
  ): Promise<PullRequestInfo> {
    const { data } = await withGitHubErrors(
      {
        what: `open a pull request from ${input.head} into ${input.base} in ${at(repo)}`,
        repo,
        permission: "Pull requests: write",
        hint: "Check that the branch was pushed, differs from the base, and has no open pull request already.",
      },
      () => this.#octokit.rest.pulls.create({ ...repo, head: input.head, base: input.base, title: input.title, body: input.body, draft: input.draft }),
    );
    return toPullRequestInfo(data as PullLike);
  }

  async updatePullRequest(repo: RepoRef, pullNumber: number, input: { title?: string; body?: string }): Promise<void> {
    await withGitHubErrors({ what: `update pull request ${at(repo, pullNumber)}`, repo, permission: "Pull requests: write" }, () =>
      this.#octokit.rest.pulls.update({ ...repo, pull_number: pullNumber, ...input }),
    );
  }

  async getPullRequest(repo: RepoRef, pullNumber: number): Promise<PullRequestInfo> {
    const { data } = await withGitHubErrors({ what: `read pull request ${at(repo, pullNumber)}`, repo, permission: "Pull requests: read" }, () =>
      this.#octokit.rest.pulls.get({ ...repo, pull_number: pullNumber }),
    );
    return toPullRequestInfo(data as PullLike);
  }

  async listPullRequestFiles(repo: RepoRef, pullNumber: number): Promise<PullRequestFile[]> {
    const files = await withGitHubErrors({ what: `list the files of pull request ${at(repo, pullNumber)}`, repo, permission: "Pull requests: read" }, () =>
      this.#octokit.paginate(this.#octokit.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 }),
    );
    return files.map((file) => ({
      path: file.filename,
      status: file.status,
      ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
      additions: file.additions,
      deletions: file.deletions,
      ...(file.patch !== undefined ? { patch: file.patch } : {}),
    }));
  }

  async findOpenPullRequests(repo: RepoRef, headPrefix: string): Promise<PullRequestInfo[]> {
    const pulls = await withGitHubErrors({ what: `list open pull requests in ${at(repo)}`, repo, permission: "Pull requests: read" }, () =>
      this.#octokit.paginate(this.#octokit.rest.pulls.list, { ...repo, state: "open", per_page: 100 }),
    );
    const fullName = at(repo).toLowerCase();
    return pulls
      .filter((pull) => pull.head.repo?.full_name.toLowerCase() === fullName && pull.head.ref.startsWith(headPrefix))
      .map((pull) => toPullRequestInfo(pull as PullLike));
  }

  async listReviews(repo: RepoRef, pullNumber: number): Promise<ReviewInfo[]> {
    const reviews = await withGitHubErrors({ what: `list reviews of ${at(repo, pullNumber)}`, repo, permission: "Pull requests: read" }, () =>
      this.#octokit.paginate(this.#octokit.rest.pulls.listReviews, { ...repo, pull_number: pullNumber, per_page: 100 }),
    );
    return reviews.map((review) => ({
      id: review.id,
      author: login(review.user),
      authorIsBot: isBot(review.user),
      state: REVIEW_STATES.includes(review.state as ReviewInfo["state"]) ? (review.state as ReviewInfo["state"]) : "COMMENTED",
      commitId: review.commit_id ?? "",
      submittedAt: review.submitted_at ?? "",
    }));
  }

  async requestReviewers(repo: RepoRef, pullNumber: number, input: { users: string[]; teams: string[] }): Promise<void> {
    if (input.users.length === 0 && input.teams.length === 0) return;
    await withGitHubErrors(
      { what: `request reviewers on ${at(repo, pullNumber)}`, repo, permission: "Pull requests: write", hint: "Reviewers must be collaborators and not the pull request's author." },
      () => this.#octokit.rest.pulls.requestReviewers({ ...repo, pull_number: pullNumber, reviewers: input.users, team_reviewers: input.teams }),
    );
  }

  async createCheckRun(repo: RepoRef, input: CheckRunInput): Promise<{ id: number }> {
    const { data } = await withGitHubErrors({ what: `create check run "${input.name}" in ${at(repo)}`, repo, permission: "Checks: write" }, () =>
      this.#octokit.rest.checks.create({
        ...repo,
        name: input.name,
        head_sha: input.headSha,
        status: input.status,
        ...(input.conclusion ? { conclusion: input.conclusion } : {}),
        ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
        ...(input.externalId ? { external_id: input.externalId } : {}),
        output: { title: input.title, summary: input.summary, ...(input.text !== undefined ? { text: input.text } : {}) },
      }),
    );
    return { id: data.id };
  }

  async listCheckRuns(repo: RepoRef, ref: string, name: string): Promise<CheckRunInfo[]> {
    const { data } = await withGitHubErrors({ what: `list check runs of ${ref} in ${at(repo)}`, repo, permission: "Checks: read" }, () =>
      this.#octokit.rest.checks.listForRef({ ...repo, ref, check_name: name, filter: "latest", per_page: 100 }),
    );
    return data.check_runs
      .map((run) => ({
        id: run.id,
        name: run.name,
        headSha: run.head_sha,
        status: run.status,
        conclusion: run.conclusion ?? null,
        appSlug: run.app?.slug ?? null,
        externalId: run.external_id ?? null,
      }))
      .sort((a, b) => b.id - a.id);
  }

  async updateCheckRun(repo: RepoRef, checkRunId: number, input: Partial<CheckRunInput>): Promise<void> {
    const action = { what: `update check run ${checkRunId} in ${at(repo)}`, repo, permission: "Checks: write" };
    let output: { title: string; summary: string; text?: string } | undefined;
    if (input.title !== undefined || input.summary !== undefined || input.text !== undefined) {
      // GitHub requires title and summary whenever output is sent; keep the current ones when not given.
      let title = input.title;
      let summary = input.summary;
      if (title === undefined || summary === undefined) {
        const { data } = await withGitHubErrors(action, () => this.#octokit.rest.checks.get({ ...repo, check_run_id: checkRunId }));
        title ??= data.output.title ?? input.name ?? data.name;
        summary ??= data.output.summary ?? "";
      }
      output = { title, summary, ...(input.text !== undefined ? { text: input.text } : {}) };
    }
    await withGitHubErrors(action, () =>
      this.#octokit.rest.checks.update({
        ...repo,
        check_run_id: checkRunId,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.conclusion !== undefined ? { conclusion: input.conclusion } : {}),
        ...(input.detailsUrl !== undefined ? { details_url: input.detailsUrl } : {}),
        ...(output ? { output } : {}),
      }),
    );
  }

  async enableAutoMerge(pullRequestNodeId: string, method: "MERGE" | "SQUASH" | "REBASE"): Promise<void> {
    await withGitHubErrors(
      {
        what: `enable auto-merge (${method}) on pull request ${pullRequestNodeId}`,
        permission: "Pull requests: write",
        hint: "Auto-merge needs 'Allow auto-merge' in the repository settings and a protected base branch with at least one required check.",
      },
      () =>
        this.#octokit.graphql(
          `mutation EnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
            enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
              pullRequest { id number autoMergeRequest { enabledAt mergeMethod } }
            }
          }`,
          { pullRequestId: pullRequestNodeId, mergeMethod: method },
        ),
    );
  }
}
