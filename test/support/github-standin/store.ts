import type { BareRepositories } from "./git-repos.js";
import { HttpError } from "./router.js";
import {
  now,
  type CollaboratorRole,
  type CommentState,
  type IssueState,
  type ReviewCommentState,
  type PullState,
  type RepoState,
  type UserState,
} from "./state.js";

export type RepoKey = string | { owner: string; repo: string };

export const fullNameOf = (key: RepoKey): string => (typeof key === "string" ? key : `${key.owner}/${key.repo}`);

/** The stand-in's data: repositories, users and one id sequence per kind, as GitHub would keep them. */
export class StandInStore {
  readonly repos = new Map<string, RepoState>();
  readonly comments = new Map<number, CommentState>();
  readonly reviewComments = new Map<number, ReviewCommentState>();
  readonly #users = new Map<string, UserState>();
  readonly #ids = new Map<string, number>();
  readonly git: BareRepositories;

  constructor(git: BareRepositories) {
    this.git = git;
  }

  nextId(kind: string): number {
    const id = (this.#ids.get(kind) ?? 1000) + 1;
    this.#ids.set(kind, id);
    return id;
  }

  user(login: string, type: UserState["type"] = "User"): UserState {
    const key = login.toLowerCase();
    let user = this.#users.get(key);
    if (!user) {
      user = { login, id: this.nextId("user"), type: login.endsWith("[bot]") ? "Bot" : type };
      this.#users.set(key, user);
    }
    return user;
  }

  /** The repository, or an HttpError 404 like GitHub (which never says whether a private repo exists). */
  repo(key: RepoKey): RepoState {
    const fullName = fullNameOf(key);
    for (const [name, repo] of this.repos) if (name.toLowerCase() === fullName.toLowerCase()) return repo;
    throw new HttpError(404, "Not Found");
  }

  issue(repo: RepoState, number: number): IssueState {
    const issue = repo.issues.get(number);
    if (!issue) throw new HttpError(404, "Not Found");
    return issue;
  }

  pull(repo: RepoState, number: number): IssueState & { pull: PullState } {
    const issue = this.issue(repo, number);
    if (!issue.pull) throw new HttpError(404, "Not Found");
    return issue as IssueState & { pull: PullState };
  }

  comment(repo: RepoState, id: number): CommentState {
    const comment = this.comments.get(id);
    if (!comment || comment.repo !== repo.fullName) throw new HttpError(404, "Not Found");
    return comment;
  }

  reviewComment(repo: RepoState, id: number): ReviewCommentState {
    const comment = this.reviewComments.get(id);
    if (!comment || comment.repo !== repo.fullName) throw new HttpError(404, "Not Found");
    return comment;
  }

  commentsOn(repo: RepoState, issueNumber: number): CommentState[] {
    return [...this.comments.values()].filter((c) => c.repo === repo.fullName && c.issueNumber === issueNumber);
  }

  createIssue(repo: RepoState, input: { title: string; body?: string; user: UserState; labels?: string[] }): IssueState {
    const stamp = now();
    const issue: IssueState = {
      id: this.nextId("issue"),
      number: repo.nextNumber++,
      title: input.title,
      body: input.body ?? "",
      state: "open",
      user: input.user,
      labels: [],
      createdAt: stamp,
      updatedAt: stamp,
      closedAt: null,
      pull: null,
    };
    repo.issues.set(issue.number, issue);
    for (const label of input.labels ?? []) this.attachLabel(repo, issue, label);
    return issue;
  }

  createComment(repo: RepoState, issue: IssueState, body: string, user: UserState): CommentState {
    const stamp = now();
    const comment: CommentState = {
      id: this.nextId("comment"),
      repo: repo.fullName,
      issueNumber: issue.number,
      body,
      user,
      createdAt: stamp,
      updatedAt: stamp,
      reactions: [],
    };
    this.comments.set(comment.id, comment);
    return comment;
  }

  /** Attach a label, creating it with GitHub's default colour when the repository does not have it yet. */
  attachLabel(repo: RepoState, issue: IssueState, name: string): void {
    let label = repo.labels.get(name.toLowerCase());
    if (!label) {
      label = { id: this.nextId("label"), name, color: "ededed", description: null };
      repo.labels.set(name.toLowerCase(), label);
    }
    if (!issue.labels.some((l) => l.toLowerCase() === name.toLowerCase())) issue.labels.push(label.name);
    issue.updatedAt = now();
  }

  role(repo: RepoState, login: string): CollaboratorRole {
    const explicit = repo.collaborators.get(login.toLowerCase());
    if (explicit) return explicit;
    return login.toLowerCase() === repo.owner.login.toLowerCase() ? "admin" : "none";
  }

  /** Refresh a PR's head/base commits from the bare repository (branches move when someone pushes). */
  async refreshPull(repo: RepoState, pull: PullState): Promise<void> {
    const head = await this.git.resolve(repo.bareDir, `refs/heads/${pull.headRef}`);
    if (head) pull.headSha = head;
    const base = await this.git.resolve(repo.bareDir, `refs/heads/${pull.baseRef}`);
    if (base) pull.baseSha = base;
  }
}
