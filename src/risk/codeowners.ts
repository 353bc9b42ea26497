import picomatch from "picomatch";
import { normalizePath } from "./globs.js";

/** Where GitHub looks for CODEOWNERS, in order; the first one that exists is used. */
export const CODEOWNERS_LOCATIONS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export interface CodeownersRule {
  pattern: string;
  /** Owners as written: "@user", "@org/team" or an e-mail address. Empty: the path has no owner. */
  owners: string[];
  line: number;
  matches: (path: string) => boolean;
}

export interface Owners {
  users: string[];
  /** Team slugs (the part after "org/"), as the review-request API takes them. */
  teams: string[];
  /** Owners given as e-mail addresses: GitHub maps them to users; the app cannot request them. */
  emails: string[];
}

/**
 * Translate a CODEOWNERS pattern (gitignore-like, as GitHub documents it) into a matcher:
 * - a leading "/" or a "/" in the middle anchors the pattern at the repository root;
 *   otherwise it matches at any depth ("*.js", "apps/", "logs");
 * - a trailing "/" matches only directories (everything under them);
 * - a pattern that names a directory also owns everything below it;
 * - "*" does not cross "/", "**" does; "dir/*" owns the direct children of dir only (GitHub's docs say so,
 *   unlike .gitignore); "!" negation and "[…]" ranges are not supported by GitHub.
 * picomatch does the glob matching; this function only applies the anchoring rules above.
 */
export function codeownersMatcher(pattern: string): (path: string) => boolean {
  let p = pattern;
  const dirOnly = p.endsWith("/");
  if (dirOnly) p = p.replace(/\/+$/, "");
  const anchored = p.startsWith("/") || p.includes("/");
  p = p.replace(/^\/+/, "");
  if (p === "") return () => dirOnly; // "/" alone: everything
  const glob = anchored ? p : `**/${p}`;
  const exact = picomatch(glob, { dot: true });
  const childrenOnly = /(^|\/)\*$/.test(p) && p !== "*";
  const below = childrenOnly ? () => false : picomatch(`${glob}/**`, { dot: true });
  return (path: string) => {
    const n = normalizePath(path);
    return (!dirOnly && exact(n)) || below(n);
  };
}

/** Parse CODEOWNERS text. Comments start with "#" (escape with "\#"); blank lines are skipped. */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|[^\\])#.*$/, "$1").trim();
    if (!line) return;
    const tokens = line.split(/\s+/).map((t) => t.replace(/\\#/g, "#").replace(/\\ /g, " "));
    const [pattern, ...owners] = tokens;
    if (pattern.startsWith("!") || /\[.*\]/.test(pattern)) return; // unsupported by GitHub: the line is ignored
    rules.push({ pattern, owners, line: index + 1, matches: codeownersMatcher(pattern) });
  });
  return rules;
}

/** The rule that owns `path`: the last matching line wins. */
export function ruleFor(rules: readonly CodeownersRule[], path: string): CodeownersRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) if (rules[i].matches(path)) return rules[i];
  return undefined;
}

/** Owners of the touched paths, without duplicates and without `exclude` (e.g. the PR author and the app). */
export function ownersForPaths(rules: readonly CodeownersRule[], paths: readonly string[], exclude: readonly string[] = []): Owners {
  const excluded = new Set(exclude.map((e) => e.toLowerCase().replace(/^@/, "")));
  const users = new Map<string, string>();
  const teams = new Map<string, string>();
  const emails = new Map<string, string>();
  for (const path of paths) {
    for (const owner of ruleFor(rules, path)?.owners ?? []) {
      if (owner.startsWith("@") && owner.includes("/")) {
        const slug = owner.slice(owner.indexOf("/") + 1);
        teams.set(slug.toLowerCase(), slug);
      } else if (owner.startsWith("@")) {
        const login = owner.slice(1);
        if (!excluded.has(login.toLowerCase()) && !excluded.has(login.toLowerCase().replace(/\[bot\]$/, ""))) users.set(login.toLowerCase(), login);
      } else if (owner.includes("@")) emails.set(owner.toLowerCase(), owner);
    }
  }
  return { users: [...users.values()], teams: [...teams.values()], emails: [...emails.values()] };
}
