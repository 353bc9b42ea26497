import { renderSelectionText } from "./pack.js";
import type { ContextSelection, RankedFile } from "./types.js";

/** The exact block of the prompt that carries the selected context; `selection.usedTokens` counts this text. */
export function renderContextForPrompt(selection: ContextSelection): string {
  return renderSelectionText(selection.included, selection.repoMap);
}

/**
 * Evidence text (commit subjects, quoted messages) for a table cell of a comment. `@name` and `#123` are broken
 * with a zero-width space so that a PR body quoting "fix: … (#1103) thanks @ana" neither notifies anyone nor
 * cross-links an old issue.
 */
function cell(text: string): string {
  return text
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ")
    .replace(/`/g, "'")
    .replace(/([@#])(?=\w)/g, "$1\u200b");
}

function whyOf(file: RankedFile | undefined): string {
  if (!file) return "";
  return file.reasons
    .filter((r) => !r.signal.startsWith("kind:") && r.signal !== "siblings")
    .slice(0, 3)
    .map((r) => `${r.signal} ${r.score.toFixed(2)}${r.detail ? ` (${cell(r.detail).slice(0, 80)})` : ""}`)
    .join("; ");
}

const number = (n: number) => n.toLocaleString("en-US");

/** A collapsed section for the status comment and the PR body: chosen files, role, tokens and top reasons. */
export function renderSelectionMarkdown(selection: ContextSelection): string {
  const byPath = new Map(selection.files.map((f) => [f.path, f]));
  const mapFiles = selection.repoMap ? selection.repoMap.split("\n").filter((l) => l && !l.startsWith(" ")).length : 0;
  const lines = [
    "<details>",
    `<summary>Context: ${selection.included.length} file${selection.included.length === 1 ? "" : "s"} ` +
      `(${number(selection.usedTokens)} of ${number(selection.budget)} tokens)</summary>`,
    "",
    "| File | Role | Tokens | Why |",
    "| --- | --- | ---: | --- |",
    ...selection.included.map(
      (f) => `| \`${cell(f.path)}\` | ${f.role} | ${number(f.tokens)} | ${whyOf(byPath.get(f.path)) || (f.role === "target" || f.role === "excerpt" ? "" : `used by the targets`)} |`,
    ),
    "",
    `Repository map: ${number(mapFiles)} more file${mapFiles === 1 ? "" : "s"} listed by path and definitions.`,
    ...(selection.instructions
      ? [
          `Repository instructions: \`${cell(selection.instructions.path)}\` (${number(selection.instructions.tokens)} tokens` +
            `${selection.instructions.truncated ? ", cut to fit" : ""}), from the default branch.`,
        ]
      : []),
    "</details>",
  ];
  return lines.join("\n") + "\n";
}
