import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoConfigSchema, type RepoConfigInput } from "../../src/config/repo-config.js";
import type { ChangedFile } from "../../src/risk/types.js";

const FIXTURES = join(process.cwd(), "test/fixtures/risk/files");

export const config = (input: RepoConfigInput = {}) => repoConfigSchema.parse(input);

/** A new file whose content is a fixture under test/fixtures/risk/files/<path>. */
export function fixtureFile(path: string, status: ChangedFile["status"] = "added"): ChangedFile {
  return { path, status, content: readFileSync(join(FIXTURES, path), "utf8") };
}

export function added(path: string, content: string): ChangedFile {
  return { path, status: "added", content };
}

/** A modified file: `before` lines removed and `after` lines added in one hunk; content is `context + after`. */
export function modified(path: string, after: string[], before: string[] = [], context: string[] = []): ChangedFile {
  const header = `@@ -1,${context.length + before.length} +1,${context.length + after.length} @@`;
  const patch = [header, ...context.map((l) => ` ${l}`), ...before.map((l) => `-${l}`), ...after.map((l) => `+${l}`)].join("\n") + "\n";
  return { path, status: "modified", content: [...context, ...after].join("\n") + "\n", patch };
}

export function deleted(path: string): ChangedFile {
  return { path, status: "deleted" };
}

/** A modified file given as its full new content, with the listed 1-based lines marked as added by the patch. */
export function edited(path: string, lines: string[], addedLines: number[]): ChangedFile {
  const body = lines.map((l, i) => (addedLines.includes(i + 1) ? `+${l}` : ` ${l}`));
  const patch = `@@ -1,${lines.length - addedLines.length} +1,${lines.length} @@\n${body.join("\n")}\n`;
  return { path, status: "modified", content: lines.join("\n") + "\n", patch };
}
