import { GitHubApiError } from "../errors/index.js";
import type { RepoRef } from "./forge.js";

/** What the app was doing when a call failed, so the error can say what to fix. */
export interface GitHubAction {
  /** Verb phrase: "create a comment on acme/widgets#3". */
  what: string;
  repo?: RepoRef;
  /** The app permission this call needs, as GitHub's settings page names it ("Pull requests: write"). */
  permission?: string;
  /** Added to refusals (422, GraphQL errors): what usually makes GitHub refuse this call. */
  hint?: string;
}

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

const isRequestError = (error: unknown): error is RequestErrorLike =>
  typeof error === "object" && error !== null && typeof (error as { status?: unknown }).status === "number";

/** GitHub's 422 bodies list field errors; their messages are the useful part. */
function validationDetails(data: unknown): string {
  if (!data || typeof data !== "object") return "";
  const errors = (data as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return "";
  const parts = errors.map((e) => {
    if (typeof e === "string") return e;
    if (e && typeof e === "object") {
      const { message, field, code } = e as Record<string, unknown>;
      if (typeof message === "string") return message;
      return [field, code].filter((x) => typeof x === "string").join(" ");
    }
    return "";
  });
  const text = parts.filter(Boolean).join("; ");
  return text ? ` (${text})` : "";
}

const firstLine = (message: string): string => message.split("\n")[0]!.replace(/ - https:\/\/docs\.github\.com\S*$/, "");

/** Turn an Octokit RequestError (or anything thrown by a call) into a GitHubApiError that says what to do. */
export function toGitHubApiError(error: unknown, action: GitHubAction): GitHubApiError {
  if (error instanceof GitHubApiError) return error;
  const where = action.repo ? `${action.repo.owner}/${action.repo.repo}` : "the repository";
  const hint = action.hint ? ` ${action.hint}` : "";
  const graphqlErrors = (error as { errors?: unknown } | null)?.errors;
  if (!isRequestError(error) && Array.isArray(graphqlErrors)) {
    const reasons = graphqlErrors.map((e) => String((e as { message?: unknown }).message ?? e)).join("; ");
    return new GitHubApiError(`GitHub refused to ${action.what}: ${reasons}.${hint}`, undefined, error);
  }
  if (!isRequestError(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new GitHubApiError(`Could not ${action.what}: ${reason}. Check that GitHub is reachable and try again.`, undefined, error);
  }
  const { status } = error;
  const reason = firstLine(error.message);
  const headers = error.response?.headers ?? {};
  let message: string;
  if (status === 401) {
    message = `GitHub rejected the app's credentials while trying to ${action.what} (401: ${reason}). Check APP_ID and the private key, and that the app is still installed.`;
  } else if (status === 403 && (String(headers["x-ratelimit-remaining"]) === "0" || /rate limit/i.test(reason))) {
    const reset = Number(headers["x-ratelimit-reset"]);
    const when = Number.isFinite(reset) && reset > 0 ? ` after ${new Date(reset * 1000).toISOString()}` : " later";
    message = `GitHub's rate limit stopped the app from trying to ${action.what} (403). Try again${when}.`;
  } else if (status === 403) {
    const permission = action.permission ? ` (${action.permission})` : "";
    message = `The GitHub App lacks a permission${permission} needed to ${action.what} (403: ${reason}). Grant it in the app's settings and accept the new permissions on the installation for ${where}.`;
  } else if (status === 404) {
    message = `GitHub answered 404 when trying to ${action.what}: the app is not installed on ${where}, has no access to it, or the item does not exist.`;
  } else if (status === 422) {
    message = `GitHub refused to ${action.what} (422: ${reason}${validationDetails(error.response?.data)}).${hint}`;
  } else if (status >= 500) {
    message = `GitHub failed while trying to ${action.what} (${status}: ${reason}). This is usually temporary; try again later.`;
  } else {
    message = `GitHub answered ${status} when trying to ${action.what}: ${reason}.`;
  }
  return new GitHubApiError(message, status, error);
}

/** Run one API call and convert its failure. */
export async function withGitHubErrors<T>(action: GitHubAction, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toGitHubApiError(error, action);
  }
}

export const statusOf = (error: unknown): number | undefined =>
  error instanceof GitHubApiError ? error.status : isRequestError(error) ? error.status : undefined;
