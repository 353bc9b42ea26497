import type { RepoConfig } from "../config/repo-config.js";
import { matchesGlob, normalizePath } from "./globs.js";

const WORKFLOW_GLOB = ".github/workflows/**";

/** Changed paths under .github/workflows/. */
export function workflowPaths(paths: readonly string[]): string[] {
  return paths.map(normalizePath).filter((p) => matchesGlob(p, WORKFLOW_GLOB));
}

/**
 * Writes under .github/workflows/ are refused unless the repository sets `allow_workflow_changes: true`
 * (and then the classifier keeps them at least high).
 */
export function shouldRefuseWorkflowChange(paths: readonly string[], config: RepoConfig): boolean {
  return !config.allow_workflow_changes && workflowPaths(paths).length > 0;
}

/** The message for a refused workflow change: what was refused and how to allow it. */
export function workflowRefusalMessage(paths: readonly string[]): string {
  const listed = workflowPaths(paths).slice(0, 5).map((p) => `\`${p}\``).join(", ");
  return `This change edits GitHub Actions workflows (${listed}), which this repository does not allow codegen to change. To allow it, set \`allow_workflow_changes: true\` in .github/codegen.yml on the default branch; such changes are then at least high risk and need a human approval.`;
}
