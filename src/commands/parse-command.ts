/**
 * Parse `/codegen …` out of a comment. The command counts only at the start of a line (leading spaces
 * allowed), never inside fenced code blocks or quotes, so quoting someone's command never starts a job.
 */
export type ParsedCommand =
  | { kind: "help"; reason?: string }
  | { kind: "task"; task: string; restart: boolean }
  | { kind: "cancel" };

const COMMAND = /^\s{0,3}\/codegen(?=\s|$)(.*)$/;
const FENCE = /^\s{0,3}(```|~~~)/;
const SUBCOMMANDS = new Set(["help", "restart", "cancel"]);

/** Returns null when the comment holds no `/codegen` command at all. */
export function parseCommand(body: string): ParsedCommand | null {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const match = COMMAND.exec(line);
    if (!match) continue;
    const firstLine = match[1]!.trim();
    const rest = lines.slice(i + 1).join("\n").trim();
    return interpret(firstLine, rest);
  }
  return null;
}

function interpret(firstLine: string, rest: string): ParsedCommand {
  const [head = "", ...tail] = firstLine.split(/\s+/).filter(Boolean);
  const word = head.toLowerCase();
  if (!head) {
    return rest ? { kind: "task", task: rest, restart: false } : { kind: "help" };
  }
  if (word === "help" || word === "--help" || word === "-h") return { kind: "help" };
  if (word === "cancel" && tail.length === 0 && !rest) return { kind: "cancel" };
  if (word === "restart") {
    const task = [tail.join(" "), rest].filter(Boolean).join("\n").trim();
    return task ? { kind: "task", task, restart: true } : { kind: "help", reason: "`/codegen restart` needs a task after it." };
  }
  if (head.startsWith("-")) return { kind: "help", reason: `Unknown option \`${head}\`.` };
  // A lone word that is not a subcommand is almost always a typo ("/codegen hlep"), not a task.
  if (tail.length === 0 && !rest && !SUBCOMMANDS.has(word)) {
    return { kind: "help", reason: `Unknown subcommand \`${head}\`. To ask for a change, describe it in a sentence.` };
  }
  const task = [firstLine, rest].filter(Boolean).join("\n").trim();
  return { kind: "task", task, restart: false };
}

export const HELP_TEXT = [
  "**codegen** writes a change for this issue, runs the repository's tests in a sandbox, and opens a pull request when they pass.",
  "",
  "Usage (at the start of a line in a comment, by someone with write access):",
  "- `/codegen <what to do>`: start a job, e.g. `/codegen add a --verbose flag to the CLI`",
  "- `/codegen restart <what to do>`: start over even if a codegen pull request is already open",
  "- `/codegen cancel`: stop the running job on this issue",
  "- `/codegen help`: show this message",
  "",
  "On a codegen pull request, `/codegen <more instructions>` continues on the same branch.",
  "Settings live in `.github/codegen.yml` on the default branch (test command, install command, sandbox image, limits, protected paths).",
].join("\n");
