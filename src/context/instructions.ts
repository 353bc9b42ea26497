import { ConfigurationError } from "../errors/index.js";
import { protectedPathMatcher } from "../config/protected-paths.js";
import { countTokens } from "./token-count.js";

/**
 * Where teams keep conventions for coding agents (build and test commands, style, layout), in the order they are
 * looked for: `AGENTS.md` is the one shared by most agents, then Claude Code's and Copilot's own files.
 */
export const INSTRUCTION_FILES = ["AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md"] as const;

/** The instructions' share of the prompt is bounded: a longer file is cut at a line, and the prompt says so. */
export const MAX_INSTRUCTION_TOKENS = 4000;

export interface RepositoryInstructions {
  path: string;
  /** The file's text, cut to the limit; ends with a note when cut. */
  text: string;
  /** Tokens of the rendered block, as the prompt holds it. */
  tokens: number;
  truncated: boolean;
}

export interface LoadInstructionsOptions {
  /** `instructions` in `.github/codegen.yml`: a file to read instead of the usual ones, or false for none. */
  configured?: string | false;
  /** `protected_paths`: the bot never reads those, instructions included. */
  protectedPaths?: readonly string[];
  maxTokens?: number;
}

/**
 * The repository's instructions for agents, read with `read` (the default branch's version, so a pull request
 * cannot rewrite the rules its own job follows). The first non-empty file of INSTRUCTION_FILES, or the configured
 * one, which must exist: a configured file that is missing is a setting to fix, not something to skip quietly.
 */
export async function loadInstructions(
  read: (path: string) => Promise<string | null>,
  options: LoadInstructionsOptions = {},
): Promise<RepositoryInstructions | undefined> {
  if (options.configured === false) return undefined;
  const isProtected = protectedPathMatcher(options.protectedPaths);
  const maxTokens = options.maxTokens ?? MAX_INSTRUCTION_TOKENS;
  if (options.configured !== undefined) {
    const path = options.configured;
    if (isProtected(path)) {
      throw new ConfigurationError(`\`instructions\` names ${path}, which is also a protected path, so the bot may not read it. Remove one of the two settings.`, [
        { key: "instructions", message: "is a protected path" },
      ]);
    }
    const text = await read(path);
    if (text === null || text.trim() === "") {
      throw new ConfigurationError(`\`instructions\` names ${path}, which is missing or empty on the default branch. Fix the path, or remove the setting to use ${INSTRUCTION_FILES.join(", ")}.`, [
        { key: "instructions", message: `${path} is missing or empty on the default branch` },
      ]);
    }
    return fitInstructions(path, text, maxTokens);
  }
  for (const path of INSTRUCTION_FILES) {
    if (isProtected(path)) continue;
    const text = await read(path);
    if (text !== null && text.trim() !== "") return fitInstructions(path, text, maxTokens);
  }
  return undefined;
}

export function renderInstructions(instructions: Pick<RepositoryInstructions, "path" | "text">): string {
  return `<repository_instructions path="${instructions.path}">\n${instructions.text.trimEnd()}\n</repository_instructions>\n`;
}

/** The file whole when it fits; else its first lines that fit with a note saying where the rest is. */
export function fitInstructions(path: string, text: string, maxTokens: number): RepositoryInstructions {
  const whole = text.replace(/\r\n/g, "\n").trimEnd();
  const tokens = countTokens(renderInstructions({ path, text: whole }));
  if (tokens <= maxTokens) return { path, text: whole, tokens, truncated: false };
  const note = `[… the rest of ${path} is not shown here; open it with the editor's view command if you need it]`;
  const lines = whole.split("\n");
  const fits = (n: number) => countTokens(renderInstructions({ path, text: `${lines.slice(0, n).join("\n")}\n${note}` })) <= maxTokens;
  // The most lines that fit, by bisection: a few dozen token counts for a file of any length.
  let keep = 0;
  for (let low = 1, high = lines.length - 1; low <= high; ) {
    const mid = (low + high) >> 1;
    if (fits(mid)) [keep, low] = [mid, mid + 1];
    else high = mid - 1;
  }
  const cut = `${lines.slice(0, keep).join("\n")}\n${note}`.replace(/^\n/, "");
  return { path, text: cut, tokens: countTokens(renderInstructions({ path, text: cut })), truncated: true };
}
