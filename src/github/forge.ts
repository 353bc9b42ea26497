/**
 * The GitHub operations the app needs, behind one interface. `OctokitForge` implements it over a
 * ProbotOctokit; tests drive it against the GitHub stand-in. Nothing else in `src/` calls Octokit.
 */
export interface RepoRef {
  owner: string;
  repo: string;
}

export type Permission = "admin" | "write" | "read" | "none";
export type Reaction = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface IssueInfo {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  isPullRequest: boolean;
  htmlUrl: string;
  author: string;
  /** A bot opened it: codegen's own pull requests, whose description is its report. */
  authorIsBot: boolean;
}

export interface CommentInfo {
  id: number;
  author: string;
  authorIsBot: boolean;
  body: string;
  createdAt: string;
  htmlUrl: string;
}

export interface RepositoryInfo {
  defaultBranch: string;
  cloneUrl: string;
  private: boolean;
  htmlUrl: string;
}

export interface PullRequestInfo {
  number: number;
  nodeId: string;
  htmlUrl: string;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  title: string;
  body: string;
  author: string;
  headRef: string;
  headSha: string;
  /** `owner/name` of the repository the head branch lives in (a fork's for outside contributions); null when deleted. */
  headRepo: string | null;
  baseRef: string;
  labels: string[];
}

/** A file a pull request changes, against the merge base of its base and head (GitHub's view). */
export interface PullRequestFile {
  path: string;
  /** GitHub's word: added, removed, modified, renamed, copied, changed or unchanged. */
  status: string;
  /** The old path of a renamed or copied file. */
  previousPath?: string;
  additions: number;
  deletions: number;
  /** The diff's hunks; GitHub leaves it out for binary files and very large diffs. */
  patch?: string;
}

export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled" | "timed_out" | "action_required";

export interface CheckRunInput {
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion?: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  detailsUrl?: string;
  /** Our own record on the run (GitHub's external_id), e.g. whether codegen verified this commit. */
  externalId?: string;
}

export interface CheckRunInfo {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  /** The app that created it ("codegen" for our own runs). */
  appSlug: string | null;
  externalId: string | null;
}

export interface ReviewInfo {
  id: number;
  author: string;
  authorIsBot: boolean;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  commitId: string;
  submittedAt: string;
}

export interface Forge {
  /** A fresh installation token for git over HTTPS (never logged, never written to disk). */
  installationToken(): Promise<string>;
  getRepository(repo: RepoRef): Promise<RepositoryInfo>;
  getPermission(repo: RepoRef, username: string): Promise<Permission>;
  addReaction(repo: RepoRef, commentId: number, reaction: Reaction): Promise<void>;
  /** The same on a comment on a line of a pull request's diff (a review comment). */
  addReviewCommentReaction(repo: RepoRef, commentId: number, reaction: Reaction): Promise<void>;
  getIssue(repo: RepoRef, issueNumber: number): Promise<IssueInfo>;
  listComments(repo: RepoRef, issueNumber: number): Promise<CommentInfo[]>;
  createComment(repo: RepoRef, issueNumber: number, body: string): Promise<CommentInfo>;
  updateComment(repo: RepoRef, commentId: number, body: string): Promise<void>;
  /** File content at `ref` (default branch when omitted); null when the file does not exist. */
  readFile(repo: RepoRef, path: string, ref?: string): Promise<string | null>;
  /** Create missing labels (with colour and description); existing ones are left alone. */
  ensureLabels(repo: RepoRef, labels: LabelSpec[]): Promise<void>;
  addLabels(repo: RepoRef, issueNumber: number, names: string[]): Promise<void>;
  removeLabel(repo: RepoRef, issueNumber: number, name: string): Promise<void>;
  createPullRequest(
    repo: RepoRef,
    input: { head: string; base: string; title: string; body: string; draft: boolean },
  ): Promise<PullRequestInfo>;
  updatePullRequest(repo: RepoRef, pullNumber: number, input: { title?: string; body?: string }): Promise<void>;
  getPullRequest(repo: RepoRef, pullNumber: number): Promise<PullRequestInfo>;
  /** The files a pull request changes (GitHub lists at most 3,000). */
  listPullRequestFiles(repo: RepoRef, pullNumber: number): Promise<PullRequestFile[]>;
  /** Open pull requests whose head branch starts with `headPrefix` (same repository only). */
  findOpenPullRequests(repo: RepoRef, headPrefix: string): Promise<PullRequestInfo[]>;
  listReviews(repo: RepoRef, pullNumber: number): Promise<ReviewInfo[]>;
  requestReviewers(repo: RepoRef, pullNumber: number, input: { users: string[]; teams: string[] }): Promise<void>;
  createCheckRun(repo: RepoRef, input: CheckRunInput): Promise<{ id: number }>;
  /** Check runs named `name` on a commit, newest first. */
  listCheckRuns(repo: RepoRef, ref: string, name: string): Promise<CheckRunInfo[]>;
  updateCheckRun(repo: RepoRef, checkRunId: number, input: Partial<CheckRunInput>): Promise<void>;
  /** Turn on GitHub's own auto-merge (GraphQL); branch protection stays in charge. */
  enableAutoMerge(pullRequestNodeId: string, method: "MERGE" | "SQUASH" | "REBASE"): Promise<void>;
}
