/** In-memory GitHub state behind the stand-in, plus the REST (and webhook) JSON shapes built from it. */

export type CollaboratorRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";
export const REACTIONS: readonly ReactionContent[] = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

export interface UserState {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface LabelState {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface ReactionState {
  id: number;
  content: ReactionContent;
  user: UserState;
  createdAt: string;
}

export interface CommentState {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  user: UserState;
  createdAt: string;
  updatedAt: string;
  reactions: ReactionState[];
}

/** A comment on a line of a pull request's diff ("review comment"). */
export interface ReviewCommentState {
  id: number;
  repo: string;
  pullNumber: number;
  body: string;
  user: UserState;
  path: string;
  line: number;
  diffHunk: string;
  commitId: string;
  createdAt: string;
  updatedAt: string;
  reactions: ReactionState[];
}

export interface ReviewRecord {
  id: number;
  user: UserState;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface PullState {
  headRef: string;
  /** For a pull request from a fork: the fork's owner (its branch is kept in the base repository, as refs/pull/N/head is). */
  forkOwner?: string;
  baseRef: string;
  /** Last known head/base commits; live values are read from the bare repository while the branch exists. */
  headSha: string;
  baseSha: string;
  draft: boolean;
  merged: boolean;
  requestedReviewers: string[];
  requestedTeams: string[];
  reviews: ReviewRecord[];
  autoMerge: { mergeMethod: "MERGE" | "SQUASH" | "REBASE"; enabledBy: string; enabledAt: string } | null;
}

export interface IssueState {
  id: number;
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  user: UserState;
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull: PullState | null;
}

export interface CheckRunState {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  text: string | null;
  annotations: unknown[];
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string;
  completedAt: string | null;
  actions: unknown[];
}

export interface RepoState {
  id: number;
  owner: UserState;
  name: string;
  fullName: string;
  defaultBranch: string;
  private: boolean;
  allowAutoMerge: boolean;
  draftPullRequests: boolean;
  bareDir: string;
  nextNumber: number;
  issues: Map<number, IssueState>;
  /** Keyed by lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, LabelState>;
  collaborators: Map<string, CollaboratorRole>;
  checkRuns: CheckRunState[];
}

export const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export const nodeId = (prefix: string, id: number): string => `${prefix}_${Buffer.from(`standin:${prefix}:${id}`).toString("base64url")}`;

export const PERMISSION_FOR_ROLE: Record<CollaboratorRole, "admin" | "write" | "read" | "none"> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

/** Builds GitHub's JSON representations; the same objects appear in REST answers and webhook payloads. */
export class Serializer {
  readonly htmlUrl: string;
  readonly apiUrl: string;
  readonly app: { id: number; slug: string; ownerLogin: string };

  constructor(htmlUrl: string, apiUrl: string, app: { id: number; slug: string; ownerLogin: string }) {
    this.htmlUrl = htmlUrl;
    this.apiUrl = apiUrl;
    this.app = app;
  }

  user(user: UserState): Record<string, unknown> {
    const isBot = user.type === "Bot";
    return {
      login: user.login,
      id: user.id,
      node_id: nodeId(isBot ? "BOT" : "U", user.id),
      avatar_url: `${this.htmlUrl}/avatars/${user.id}`,
      gravatar_id: "",
      url: `${this.apiUrl}/users/${encodeURIComponent(user.login)}`,
      html_url: isBot ? `${this.htmlUrl}/apps/${this.app.slug}` : `${this.htmlUrl}/${user.login}`,
      type: user.type,
      site_admin: false,
    };
  }

  repository(repo: RepoState): Record<string, unknown> {
    const api = `${this.apiUrl}/repos/${repo.fullName}`;
    return {
      id: repo.id,
      node_id: nodeId("R", repo.id),
      name: repo.name,
      full_name: repo.fullName,
      private: repo.private,
      owner: this.user(repo.owner),
      html_url: `${this.htmlUrl}/${repo.fullName}`,
      description: null,
      fork: false,
      url: api,
      clone_url: `${this.htmlUrl}/${repo.fullName}.git`,
      git_url: `${this.htmlUrl}/${repo.fullName}.git`,
      ssh_url: `git@127.0.0.1:${repo.fullName}.git`,
      default_branch: repo.defaultBranch,
      visibility: repo.private ? "private" : "public",
      archived: false,
      disabled: false,
      allow_auto_merge: repo.allowAutoMerge,
      pulls_url: `${api}/pulls{/number}`,
      issues_url: `${api}/issues{/number}`,
      labels_url: `${api}/labels{/name}`,
      contents_url: `${api}/contents/{+path}`,
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
      pushed_at: "2024-01-01T00:00:00Z",
    };
  }

  label(repo: RepoState, label: LabelState): Record<string, unknown> {
    return {
      id: label.id,
      node_id: nodeId("LA", label.id),
      url: `${this.apiUrl}/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      color: label.color,
      default: false,
      description: label.description,
    };
  }

  private issueLabels(repo: RepoState, issue: IssueState): Record<string, unknown>[] {
    return issue.labels.flatMap((name) => {
      const label = repo.labels.get(name.toLowerCase());
      return label ? [this.label(repo, label)] : [];
    });
  }

  issue(repo: RepoState, issue: IssueState, commentCount: number): Record<string, unknown> {
    const api = `${this.apiUrl}/repos/${repo.fullName}/issues/${issue.number}`;
    const htmlKind = issue.pull ? "pull" : "issues";
    const json: Record<string, unknown> = {
      url: api,
      repository_url: `${this.apiUrl}/repos/${repo.fullName}`,
      labels_url: `${api}/labels{/name}`,
      comments_url: `${api}/comments`,
      events_url: `${api}/events`,
      html_url: `${this.htmlUrl}/${repo.fullName}/${htmlKind}/${issue.number}`,
      id: issue.id,
      node_id: nodeId(issue.pull ? "PR" : "I", issue.id),
      number: issue.number,
      title: issue.title,
      user: this.user(issue.user),
      labels: this.issueLabels(repo, issue),
      state: issue.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: commentCount,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      author_association: this.association(repo, issue.user),
      active_lock_reason: null,
      body: issue.body,
      state_reason: null,
    };
    if (issue.pull) {
      json.draft = issue.pull.draft;
      json.pull_request = {
        url: `${this.apiUrl}/repos/${repo.fullName}/pulls/${issue.number}`,
        html_url: `${this.htmlUrl}/${repo.fullName}/pull/${issue.number}`,
        diff_url: `${this.htmlUrl}/${repo.fullName}/pull/${issue.number}.diff`,
        patch_url: `${this.htmlUrl}/${repo.fullName}/pull/${issue.number}.patch`,
        merged_at: null,
      };
    }
    return json;
  }

  comment(repo: RepoState, comment: CommentState): Record<string, unknown> {
    const kind = repo.issues.get(comment.issueNumber)?.pull ? "pull" : "issues";
    const counts = Object.fromEntries(REACTIONS.map((r) => [r, comment.reactions.filter((x) => x.content === r).length]));
    return {
      url: `${this.apiUrl}/repos/${repo.fullName}/issues/comments/${comment.id}`,
      html_url: `${this.htmlUrl}/${repo.fullName}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${this.apiUrl}/repos/${repo.fullName}/issues/${comment.issueNumber}`,
      id: comment.id,
      node_id: nodeId("IC", comment.id),
      user: this.user(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: this.association(repo, comment.user),
      body: comment.body,
      reactions: {
        url: `${this.apiUrl}/repos/${repo.fullName}/issues/comments/${comment.id}/reactions`,
        total_count: comment.reactions.length,
        ...counts,
      },
      performed_via_github_app: comment.user.type === "Bot" ? this.appJson() : null,
    };
  }

  reviewComment(repo: RepoState, comment: ReviewCommentState): Record<string, unknown> {
    const counts = Object.fromEntries(REACTIONS.map((r) => [r, comment.reactions.filter((x) => x.content === r).length]));
    const url = `${this.apiUrl}/repos/${repo.fullName}/pulls/comments/${comment.id}`;
    const pullUrl = `${this.apiUrl}/repos/${repo.fullName}/pulls/${comment.pullNumber}`;
    const htmlUrl = `${this.htmlUrl}/${repo.fullName}/pull/${comment.pullNumber}#discussion_r${comment.id}`;
    return {
      url,
      pull_request_review_id: comment.id + 500_000,
      id: comment.id,
      node_id: nodeId("PRRC", comment.id),
      diff_hunk: comment.diffHunk,
      path: comment.path,
      position: null,
      original_position: null,
      commit_id: comment.commitId,
      original_commit_id: comment.commitId,
      user: this.user(comment.user),
      body: comment.body,
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      html_url: htmlUrl,
      pull_request_url: pullUrl,
      author_association: this.association(repo, comment.user),
      _links: { self: { href: url }, html: { href: htmlUrl }, pull_request: { href: pullUrl } },
      reactions: { url: `${url}/reactions`, total_count: comment.reactions.length, ...counts },
      start_line: null,
      original_start_line: null,
      start_side: null,
      line: comment.line,
      original_line: comment.line,
      side: "RIGHT",
      subject_type: "line",
    };
  }

  reaction(reaction: ReactionState): Record<string, unknown> {
    return {
      id: reaction.id,
      node_id: nodeId("REA", reaction.id),
      user: this.user(reaction.user),
      content: reaction.content,
      created_at: reaction.createdAt,
    };
  }

  pullRequest(repo: RepoState, issue: IssueState, pull: PullState, users: (login: string) => UserState): Record<string, unknown> {
    const api = `${this.apiUrl}/repos/${repo.fullName}/pulls/${issue.number}`;
    const html = `${this.htmlUrl}/${repo.fullName}/pull/${issue.number}`;
    const side = (ref: string, sha: string, forkOwner?: string) => {
      const owner = forkOwner ? users(forkOwner) : repo.owner;
      const repository = this.repository(repo);
      return {
        label: `${owner.login}:${ref}`,
        ref,
        sha,
        user: this.user(owner),
        repo: forkOwner ? { ...repository, full_name: `${forkOwner}/${repo.name}`, owner: this.user(owner), fork: true } : repository,
      };
    };
    return {
      url: api,
      id: issue.id,
      node_id: nodeId("PR", issue.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${this.apiUrl}/repos/${repo.fullName}/issues/${issue.number}`,
      commits_url: `${api}/commits`,
      review_comments_url: `${api}/comments`,
      comments_url: `${this.apiUrl}/repos/${repo.fullName}/issues/${issue.number}/comments`,
      statuses_url: `${this.apiUrl}/repos/${repo.fullName}/statuses/${pull.headSha}`,
      number: issue.number,
      state: issue.state,
      locked: false,
      title: issue.title,
      user: this.user(issue.user),
      body: issue.body,
      labels: this.issueLabels(repo, issue),
      milestone: null,
      active_lock_reason: null,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      merged_at: pull.merged ? issue.closedAt : null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: pull.requestedReviewers.map((login) => this.user(users(login))),
      requested_teams: pull.requestedTeams.map((slug, i) => ({ id: i + 1, slug, name: slug })),
      head: side(pull.headRef, pull.headSha, pull.forkOwner),
      base: side(pull.baseRef, pull.baseSha),
      author_association: this.association(repo, issue.user),
      auto_merge: pull.autoMerge
        ? {
            enabled_by: this.user(users(pull.autoMerge.enabledBy)),
            merge_method: pull.autoMerge.mergeMethod.toLowerCase(),
            commit_title: null,
            commit_message: null,
          }
        : null,
      draft: pull.draft,
      merged: pull.merged,
      mergeable: null,
      rebaseable: null,
      mergeable_state: "unknown",
      merged_by: null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: 0,
      deletions: 0,
      changed_files: 0,
    };
  }

  review(repo: RepoState, issueNumber: number, review: ReviewRecord): Record<string, unknown> {
    return {
      id: review.id,
      node_id: nodeId("PRR", review.id),
      user: this.user(review.user),
      body: review.body,
      state: review.state,
      html_url: `${this.htmlUrl}/${repo.fullName}/pull/${issueNumber}#pullrequestreview-${review.id}`,
      pull_request_url: `${this.apiUrl}/repos/${repo.fullName}/pulls/${issueNumber}`,
      author_association: this.association(repo, review.user),
      submitted_at: review.submittedAt,
      commit_id: review.commitId,
    };
  }

  checkRun(repo: RepoState, run: CheckRunState): Record<string, unknown> {
    return {
      id: run.id,
      node_id: nodeId("CR", run.id),
      head_sha: run.headSha,
      external_id: run.externalId ?? "",
      url: `${this.apiUrl}/repos/${repo.fullName}/check-runs/${run.id}`,
      html_url: `${this.htmlUrl}/${repo.fullName}/runs/${run.id}`,
      details_url: run.detailsUrl,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        title: run.title,
        summary: run.summary,
        text: run.text,
        annotations_count: run.annotations.length,
        annotations_url: `${this.apiUrl}/repos/${repo.fullName}/check-runs/${run.id}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.id },
      app: this.appJson(),
      pull_requests: [],
    };
  }

  appJson(): Record<string, unknown> {
    return {
      id: this.app.id,
      slug: this.app.slug,
      node_id: nodeId("A", this.app.id),
      owner: this.user({ login: this.app.ownerLogin, id: 1, type: "Organization" }),
      name: this.app.slug,
      description: "GitHub stand-in app",
      external_url: this.htmlUrl,
      html_url: `${this.htmlUrl}/apps/${this.app.slug}`,
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
      events: ["issue_comment", "pull_request", "pull_request_review", "pull_request_review_comment", "push"],
    };
  }

  association(repo: RepoState, user: UserState): string {
    if (user.login === repo.owner.login) return "OWNER";
    const role = repo.collaborators.get(user.login.toLowerCase());
    return role && role !== "none" ? "COLLABORATOR" : "NONE";
  }
}
