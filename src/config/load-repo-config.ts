import { parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigurationError } from "../errors/index.js";
import { repoConfigSchema, type RepoConfig } from "./repo-config.js";

export const REPO_CONFIG_PATH = ".github/codegen.yml";

/**
 * Parse and validate `.github/codegen.yml`. We read the raw text (rather than Probot's merged config)
 * so that the app and the CLI share one parser and errors can point at the exact key and line.
 * `null` or an empty file means "all defaults".
 */
export function parseRepoConfig(text: string | null): RepoConfig {
  if (text === null || text.trim() === "") return repoConfigSchema.parse({});
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new ConfigurationError(`${REPO_CONFIG_PATH} is not valid YAML: ${first.message.split("\n")[0]}`, [
      { key: "(file)", message: first.message.split("\n")[0]! },
    ]);
  }
  const value: unknown = doc.toJS();
  // A file holding only comments parses to null: all defaults, like an absent file.
  if (value === null || value === undefined) return repoConfigSchema.parse({});
  if ( typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigurationError(`${REPO_CONFIG_PATH} must be a mapping of settings (key: value), not ${describe(value)}.`, [
      { key: "(file)", message: "expected a mapping" },
    ]);
  }
  const result = repoConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap(toIssues);
  const lines = issues.map((issue) => `- \`${issue.key}\`: ${issue.message}`);
  throw new ConfigurationError(`${REPO_CONFIG_PATH} has invalid settings:\n${lines.join("\n")}`, issues);
}

function toIssues(issue: z.core.$ZodIssue): { key: string; message: string }[] {
  const base = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      key: base ? `${base}.${key}` : key,
      message: "is not a known setting (check its spelling; see the README for the list)",
    }));
  }
  return [{ key: base || "(file)", message: issue.message.replace(/^Invalid input: /, "") }];
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}
