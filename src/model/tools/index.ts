import type { ToolResultBlockParam, ToolUnion } from "@anthropic-ai/sdk/resources/messages";
import { runTestsToolDefinition } from "./run-tests.js";
import { SEARCH_TOOL_NAME, createSearch, searchToolDefinition, type SearchOptions } from "./search.js";
import { TEXT_EDITOR_TOOL_NAME, createTextEditor, textEditorToolDefinition, type TextEditorOptions } from "./text-editor.js";
import type { ToolResult } from "./types.js";

export * from "./run-tests.js";
export * from "./search.js";
export * from "./text-editor.js";
export * from "./types.js";
export { WORKSPACE_ROOT, normaliseModelPath, type WorkspacePolicy } from "./workspace-guard.js";

export type WorkspaceToolsOptions = TextEditorOptions & SearchOptions;

/** The tools the loop offers the model, in a fixed order (the order is part of the cached prefix). */
export function codegenToolDefinitions(options: { maxViewCharacters?: number } = {}): ToolUnion[] {
  return [textEditorToolDefinition(options.maxViewCharacters), searchToolDefinition(), runTestsToolDefinition()];
}

/** The editor and search tools bound to one job's clone; run_tests stays with the orchestrator. */
export interface WorkspaceTools {
  /** Runs a workspace tool; undefined when `name` is not one (e.g. run_tests, which the caller runs). */
  execute(name: string, input: unknown): Promise<ToolResult | undefined>;
  /** Repository-relative paths the editor created or modified, sorted. */
  changedPaths(): string[];
}

export function createWorkspaceTools(options: WorkspaceToolsOptions): WorkspaceTools {
  const editor = createTextEditor(options);
  const search = createSearch(options);
  return {
    async execute(name, input) {
      if (name === TEXT_EDITOR_TOOL_NAME) return editor.execute(input);
      if (name === SEARCH_TOOL_NAME) return search.execute(input);
      return undefined;
    },
    changedPaths: () => editor.changedPaths(),
  };
}

/** A tool_result block for the next user message. */
export function toolResultBlock(toolUseId: string, result: ToolResult): ToolResultBlockParam {
  // The API rejects empty text; an empty success still needs to say something.
  const content = result.content.length > 0 ? result.content : "(no output)";
  return { type: "tool_result", tool_use_id: toolUseId, content, ...(result.isError ? { is_error: true } : {}) };
}

