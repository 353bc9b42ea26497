import { now, nodeId, type IssueState, type PullState, type RepoState } from "./state.js";
import type { StandInStore } from "./store.js";

export interface GraphqlCall {
  query: string;
  variables: Record<string, unknown>;
}

export interface GraphqlResult {
  body: Record<string, unknown>;
  handled: boolean;
}

const MERGE_METHODS = ["MERGE", "SQUASH", "REBASE"] as const;

/** Read a mutation argument from the variables, or inline from the query text (`pullRequestId: "PR_x"`). */
function argument(call: GraphqlCall, name: string): string | undefined {
  const fromVariables = call.variables[name];
  if (typeof fromVariables === "string") return fromVariables;
  const input = call.variables.input;
  if (input && typeof input === "object" && typeof (input as Record<string, unknown>)[name] === "string") {
    return (input as Record<string, string>)[name];
  }
  const inline = new RegExp(`${name}\\s*:\\s*"?([A-Za-z0-9_=-]+)"?`).exec(call.query);
  return inline?.[1]?.startsWith("$") ? undefined : inline?.[1];
}

function findPullByNodeId(store: StandInStore, id: string): { repo: RepoState; issue: IssueState & { pull: PullState } } | null {
  for (const repo of store.repos.values()) {
    for (const issue of repo.issues.values()) {
      if (issue.pull && nodeId("PR", issue.id) === id) return { repo, issue: issue as IssueState & { pull: PullState } };
    }
  }
  return null;
}

/**
 * The one GraphQL operation the app uses: `enablePullRequestAutoMerge`. Errors come back as HTTP 200
 * with an `errors` array, as GitHub's GraphQL API does.
 */
export function handleGraphql(store: StandInStore, call: GraphqlCall, actor: string): GraphqlResult {
  if (!/enablePullRequestAutoMerge/.test(call.query)) {
    return { handled: false, body: { errors: [{ type: "UNIMPLEMENTED", message: "The GitHub stand-in does not implement this GraphQL operation." }] } };
  }
  const pullRequestId = argument(call, "pullRequestId");
  const mergeMethod = (argument(call, "mergeMethod") ?? "MERGE").toUpperCase();
  if (!pullRequestId) {
    return { handled: true, body: { errors: [{ message: "Variable $pullRequestId of type ID! was provided invalid value" }] } };
  }
  if (!MERGE_METHODS.includes(mergeMethod as never)) {
    return { handled: true, body: { errors: [{ message: `Argument 'mergeMethod' has an invalid value (${mergeMethod}).` }] } };
  }
  const found = findPullByNodeId(store, pullRequestId);
  if (!found) {
    return {
      handled: true,
      body: { data: { enablePullRequestAutoMerge: null }, errors: [{ type: "NOT_FOUND", path: ["enablePullRequestAutoMerge"], message: `Could not resolve to a node with the global id of '${pullRequestId}'` }] },
    };
  }
  const { repo, issue } = found;
  const refuse = (message: string): GraphqlResult => ({
    handled: true,
    body: { data: { enablePullRequestAutoMerge: null }, errors: [{ type: "UNPROCESSABLE", path: ["enablePullRequestAutoMerge"], message }] },
  });
  if (!repo.allowAutoMerge) return refuse("Auto merge is not allowed for this repository");
  if (issue.state !== "open") return refuse("Pull request is in the wrong state to enable auto-merge");
  const enabledAt = now();
  issue.pull.autoMerge = { mergeMethod: mergeMethod as (typeof MERGE_METHODS)[number], enabledBy: actor, enabledAt };
  return {
    handled: true,
    body: {
      data: {
        enablePullRequestAutoMerge: {
          clientMutationId: null,
          pullRequest: {
            id: pullRequestId,
            number: issue.number,
            autoMergeRequest: { enabledAt, mergeMethod, enabledBy: { login: actor } },
          },
        },
      },
    },
  };
}
