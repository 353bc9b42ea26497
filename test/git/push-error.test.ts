import { GitHubApiError } from "../../src/errors/index.js";
import { pushError } from "../../src/git/push-error.js";

describe("pushError", () => {
  it.each([
    [
      "workflow refusal",
      "remote: refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission\n ! [remote rejected] x -> x (refusing ...)",
      403,
      /\.github\/workflows\/ci\.yml.*"workflows" permission/,
    ],
    ["bad token", "fatal: Authentication failed for 'https://github.com/a/b.git/'", 401, /mint a fresh token/],
    ["no write access", "remote: Permission to a/b.git denied to bot.\nfatal: unable to access: The requested URL returned error: 403", 403, /Contents: write/],
    ["branch moved", " ! [rejected]        abc -> codegen/x (fetch first)\nerror: failed to push some refs", 409, /branch moved/],
    ["lease lost", " ! [rejected]        abc -> codegen/x (stale info)", 409, /branch moved/],
    ["protected branch", "remote: error: GH006: Protected branch update failed for refs/heads/main.", 403, /GH006/],
    ["anything else", "fatal: the remote end hung up unexpectedly", undefined, /hung up/],
  ])("explains %s", (_name, stderr, status, message) => {
    const error = pushError(stderr, "codegen/x");
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
  });
});
