import { isExcerptRole, type IncludedRole } from "./types.js";

/**
 * The exact text each part of the context takes in the prompt. Token counts are always taken over these
 * strings, so what the selector budgets is what the model is sent.
 */
export function renderFileBlock(path: string, role: IncludedRole, content: string): string {
  const body = content.endsWith("\n") ? content : content + "\n";
  const note = isExcerptRole(role) ? ` note="parts of a large file; open the rest with the view tool's view_range"` : "";
  return `<file path="${escapeAttribute(path)}" role="${role}"${note}>\n${body}</file>\n`;
}

export function renderRepoMapBlock(map: string): string {
  if (!map) return "";
  return `<repository-map note="other files, with their definitions; open any with the view tool">\n${map}</repository-map>\n`;
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
