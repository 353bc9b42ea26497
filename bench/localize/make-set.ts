/**
 * Builds a held-out localization set from real issues of other repositories, in two steps around a manual one.
 *
 *   node bench/run.mjs localize make-set candidates --mirror <git dir> --repo owner/name [--since 2016] [--count 40]
 *     Lists fix commits of the mirror that name the issue they fix ("fixes #123", "closes #123", "resolves #123"),
 *     in a fixed pseudo-random order (SHA-256 of repo and commit), one JSON line each. Kept: non-merge commits
 *     whose subject says fix, whose gold files (below) number 1 to 10 and include at least one code file.
 *   (manual) the issue text of each candidate, in that order, from the search tool's `issues` corpus: the first
 *     candidates whose issue (same repository, an issue, not a pull request) is found are taken, whatever the
 *     selector would make of them; the title and description (no comments) go into an issues JSONL file
 *     ({ repo, number, commit, title, body }).
 *   node bench/run.mjs localize make-set issues --ids <set.ids.jsonl> --out <issues.jsonl> [--api <GitHub API URL>]
 *     Fetches the title and description of each listed issue from GitHub's REST API (GITHUB_TOKEN is used when
 *     set): how a committed identifier list (`sets/*.ids.jsonl`) becomes an issues file again.
 *   node bench/run.mjs localize make-set assemble --issues <issues.jsonl> --mirrors <dir> --out <set.jsonl>
 *     Writes the set: base_commit = the fix commit's parent, patch = the fix commit's diff without tests and
 *     changelog entries (as SWE-bench keeps tests apart; a changelog line is bookkeeping, not localization).
 *
 * The repository keeps only identifiers (`sets/<name>.ids.jsonl`: repository, issue, fix and base commits); the
 * issue texts and the assembled sets (which hold the fix diffs) live outside it, like the mirrors.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runGit } from "../../src/git/safe-git.js";
import { findMirror } from "./checkout.js";
import { isExcludedFromGold } from "./gold-rule.js";

const sub = process.argv[2];
process.argv.splice(2, 1);
const { values } = parseArgs({
  options: {
    mirror: { type: "string" },
    mirrors: { type: "string", default: "/work/.mirror" },
    repo: { type: "string" },
    since: { type: "string", default: "2016" },
    count: { type: "string", default: "40" },
    issues: { type: "string" },
    ids: { type: "string" },
    api: { type: "string", default: "https://api.github.com" },
    out: { type: "string" },
  },
});

/**
 * A fix must touch code to be a candidate: a language the selector parses, a component holding JavaScript, one
 * of the other languages of SWE-bench Multilingual (Rust, PHP, C, C++), or C#, Kotlin or Swift: all of these but
 * the first are read as text.
 */
const CODE = /\.(m?[jt]sx?|c[jt]s|svelte|vue|py|pyi|go|java|rb|rs|php|c|h|cc|cpp|cxx|hpp|hh|cs|kt|kts|swift)$/;

async function git(dir: string, args: string[]): Promise<string> {
  return (await runGit(args, { cwd: dir, timeoutMs: 120_000, maxBytes: 256 * 1024 * 1024 })).toString("utf8");
}

/** The files of a fix commit that count as gold; reads the content of files whose name alone cannot decide. */
async function goldOf(mirror: string, sha: string, files: string[]): Promise<string[]> {
  const gold: string[] = [];
  for (const file of files) {
    const name = file.slice(file.lastIndexOf("/") + 1);
    const content = /^(test|tests|spec|specs)\./i.test(name) ? await git(mirror, ["show", `${sha}:${file}`]).catch(() => "") : undefined;
    if (!isExcludedFromGold(file, content)) gold.push(file);
  }
  return gold;
}

async function candidates(): Promise<void> {
  const { mirror, repo } = values;
  if (!mirror || !repo) throw new Error("candidates needs --mirror and --repo");
  const log = await git(mirror, ["log", "--no-merges", `--since=${values.since}-01-01`, "--format=%x1e%H%x1f%P%x1f%s%x1f%b", "-i", "-E", "--grep=(fix(es|ed)?|close[sd]?|resolve[sd]?):? #[0-9]+"]);
  const out: { key: string; line: string }[] = [];
  for (const record of log.split("\x1e").slice(1)) {
    const [sha, parents, subject, body] = record.split("\x1f");
    if (parents.trim().split(" ").length !== 1 || !/\bfix/i.test(subject) || /^revert/i.test(subject)) continue;
    const issue = `${subject}\n${body}`.match(/\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?):? #(\d+)/i);
    if (!issue) continue;
    const files = (await git(mirror, ["diff-tree", "--no-commit-id", "--name-only", "-r", "--no-renames", sha])).split("\n").filter(Boolean);
    const gold = await goldOf(mirror, sha, files);
    if (gold.length === 0 || gold.length > 10 || !gold.some((f) => CODE.test(f))) continue;
    const key = createHash("sha256").update(`${repo}@${sha}`).digest("hex");
    out.push({ key, line: JSON.stringify({ repo, commit: sha, number: Number(issue[1]), subject, gold }) });
  }
  out.sort((a, b) => a.key.localeCompare(b.key));
  for (const { line } of out.slice(0, Number(values.count))) console.log(line);
}

const mirrorOf = (repo: string): string => findMirror(values.mirrors!, repo);

async function assemble(): Promise<void> {
  if (!values.issues || !values.out) throw new Error("assemble needs --issues and --out");
  const rows: string[] = [];
  for (const line of readFileSync(values.issues, "utf8").split("\n").filter((l) => l.trim())) {
    const issue = JSON.parse(line) as { repo: string; number: number; commit: string; title: string; body: string };
    const mirror = mirrorOf(issue.repo);
    const base = (await git(mirror, ["rev-parse", `${issue.commit}^`])).trim();
    const files = (await git(mirror, ["diff-tree", "--no-commit-id", "--name-only", "-r", "--no-renames", issue.commit])).split("\n").filter(Boolean);
    const gold = await goldOf(mirror, issue.commit, files);
    if (gold.length === 0) {
      // Without a pathspec git would diff every file: a fix that changes only tests has nothing to localize.
      console.error(`${issue.repo}#${issue.number}: every file of ${issue.commit.slice(0, 7)} is a test or a changelog; left out`);
      continue;
    }
    const patch = await git(mirror, ["diff", "--no-renames", "--no-color", base, issue.commit, "--", ...gold]);
    const [owner, name] = issue.repo.split("/");
    rows.push(
      JSON.stringify({
        instance_id: `${owner}__${name}-${issue.number}`,
        repo: issue.repo,
        base_commit: base,
        problem_statement: `${issue.title}\n${issue.body}`,
        patch,
        fix_commit: issue.commit,
      }),
    );
  }
  writeFileSync(values.out, rows.join("\n") + "\n");
  console.error(`${rows.length} instances written to ${values.out}`);
}

/** Issue title and body for each identifier, from the GitHub REST API (bodies as GitHub stores them now). */
async function issues(): Promise<void> {
  if (!values.ids || !values.out) throw new Error("issues needs --ids and --out");
  const headers: Record<string, string> = { accept: "application/vnd.github+json", "user-agent": "codegen-bench" };
  if (process.env.GITHUB_TOKEN) headers.authorization = `Bearer ${process.env.GITHUB_TOKEN}`;
  const rows: string[] = [];
  for (const line of readFileSync(values.ids, "utf8").split("\n").filter((l) => l.trim())) {
    const id = JSON.parse(line) as { repo: string; issue: number; fix_commit: string };
    const response = await fetch(`${values.api}/repos/${id.repo}/issues/${id.issue}`, { headers });
    if (!response.ok) throw new Error(`${id.repo}#${id.issue}: GitHub answered ${response.status}`);
    const issue = (await response.json()) as { title: string; body: string | null };
    rows.push(JSON.stringify({ repo: id.repo, number: id.issue, commit: id.fix_commit, title: issue.title, body: issue.body ?? "" }));
  }
  writeFileSync(values.out, rows.join("\n") + "\n");
  console.error(`${rows.length} issues written to ${values.out}`);
}

if (sub === "candidates") await candidates();
else if (sub === "issues") await issues();
else if (sub === "assemble") await assemble();
else {
  console.error("usage: node bench/run.mjs localize make-set candidates|issues|assemble ...");
  process.exit(2);
}
