import { GitHubApiError } from "../errors/index.js";

/**
 * Turn a failed `git push` into an error that says what to do. GitHub's reasons arrive on stderr
 * (`remote: ...` lines and `! [remote rejected]`); the token never appears there (it travels in an
 * environment variable, not the URL).
 */
export function pushError(stderr: string, branch: string, cause?: unknown): GitHubApiError {
  const workflow = /refusing to allow a GitHub App to create or update workflow `([^`]+)`/.exec(stderr);
  if (workflow) {
    return new GitHubApiError(
      `GitHub refused the push to ${branch}: it changes the workflow file ${workflow[1]} and the app lacks the "workflows" permission. ` +
        "Drop workflow changes, or grant the app Workflows: write (and set allow_workflow_changes in .github/codegen.yml).",
      403,
      cause,
    );
  }
  if (/Authentication failed|HTTP 401|returned error: 401|could not read Username|Invalid username or password/i.test(stderr)) {
    return new GitHubApiError(
      `GitHub rejected the installation token while pushing ${branch}: mint a fresh token right before pushing (tokens expire after an hour).`,
      401,
      cause,
    );
  }
  if (/returned error: 403|Permission to .* denied|HTTP 403/i.test(stderr)) {
    return new GitHubApiError(
      `GitHub denied the push to ${branch}: the app needs Contents: write on this repository, and the branch must not be protected against it.`,
      403,
      cause,
    );
  }
  if (/\(fetch first\)|non-fast-forward|\(stale info\)|\[rejected\]/.test(stderr)) {
    return new GitHubApiError(
      `The push to ${branch} was rejected because the branch moved on GitHub since it was fetched; fetch it again and rebuild the change, or push with force.`,
      409,
      cause,
    );
  }
  if (/pre-receive hook declined|protected branch|GH006/i.test(stderr)) {
    return new GitHubApiError(`GitHub's rules refused the push to ${branch}: ${lastRemoteLine(stderr)}`, 403, cause);
  }
  return new GitHubApiError(`git push to ${branch} failed: ${lastRemoteLine(stderr)}`, undefined, cause);
}

function lastRemoteLine(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => l.startsWith("remote: error") || l.startsWith("remote: ")) ?? lines.at(-1) ?? "no details").slice(0, 500);
}
