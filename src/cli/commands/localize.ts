import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { parseRepoConfig, REPO_CONFIG_PATH } from "../../config/load-repo-config.js";
import { selectContext } from "../../context/select-context.js";
import { ConfigurationError } from "../../errors/index.js";
import { branchChanges } from "../../git/branch-changes.js";
import { runGit } from "../../git/safe-git.js";
import { normaliseModelPath } from "../../model/tools/workspace-guard.js";
import { parseOptions } from "../parse-options.js";
import type { CliCommand } from "../types.js";

const usage = `Usage: codegen localize --repo <dir> --task-file <file> [--budget <tokens>] [--limit <n>] [--exclude <glob>]...
                        [--base <ref>] [--focus <path>]... [--json]

Rank the repository's files for a task (issue text) and pack the best into a token budget, as the job does.
  --repo <dir>        the repository (default: the current directory)
  --task-file <file>  the task or issue text (its first line is read as the title)
  --budget <tokens>   token budget for the files and the repository map (default: 32000)
  --limit <n>         ranked files to print (default: 30)
  --exclude <glob>    paths never to read (repeatable; the repository's protected_paths always apply)
  --base <ref>        rank first the files this branch changes since it left <ref> (committed, or edited and
                      tracked), as a job on a pull request ranks the pull request's files first
  --focus <path>      rank this file first (repeatable; a path from the repository's root)
  --json              print { "files": [ { "path", "score", "tokens", "reasons" } ], "budget", "included", "usedTokens" }
The index is cached per commit (under $CODEGEN_CACHE_DIR or ~/.cache/codegen) when the work tree is clean.`;

const optionsSchema = z
  .object({
    repo: z.string().min(1).optional(),
    "task-file": z.string({ error: "is required: the file with the task text" }).min(1),
    budget: z.coerce.number().int().min(1000).max(2_000_000).default(32_000),
    limit: z.coerce.number().int().min(1).max(100_000).default(30),
    exclude: z.array(z.string().min(1)).default([]),
    base: z.string().min(1).optional(),
    focus: z.array(z.string().min(1)).default([]),
    json: z.boolean().optional(),
  })
  .strict();

/** `./src/a.ts` → `src/a.ts`, by the rules the model's tools apply; a path that leaves the repository is refused. */
function repoRelativePath(path: string): string {
  const checked = normaliseModelPath(path);
  if (!checked.ok || checked.value === "") {
    throw new ConfigurationError(`--focus ${path}: give a file inside the repository, by its path from the repository's root (as git ls-files prints it)`);
  }
  return checked.value;
}

/** HEAD, when the tracked files match it; otherwise undefined (an edited work tree must not hit the cache). */
async function cleanCommit(repoDir: string): Promise<string | undefined> {
  try {
    const status = (await runGit(["status", "--porcelain", "--untracked-files=no"], { cwd: repoDir })).toString("utf8");
    if (status.trim()) return undefined;
    return (await runGit(["rev-parse", "--verify", "HEAD"], { cwd: repoDir })).toString("utf8").trim();
  } catch {
    return undefined;
  }
}

async function protectedPaths(repoDir: string, commit: string | undefined): Promise<string[]> {
  try {
    const text = (await runGit(["cat-file", "blob", `${commit ?? "HEAD"}:${REPO_CONFIG_PATH}`], { cwd: repoDir })).toString("utf8");
    return parseRepoConfig(text).protected_paths;
  } catch {
    return [];
  }
}

export const localizeCommand: CliCommand = {
  name: "localize",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        repo: { type: "string" },
        "task-file": { type: "string" },
        budget: { type: "string" },
        limit: { type: "string" },
        exclude: { type: "string", multiple: true },
        base: { type: "string" },
        focus: { type: "string", multiple: true },
        json: { type: "boolean" },
      },
      optionsSchema,
      usage,
    );
    const repoDir = resolve(io.cwd, options.repo ?? ".");
    const repoStat = await stat(repoDir).catch(() => undefined);
    if (!repoStat?.isDirectory()) throw new ConfigurationError(`--repo ${options.repo ?? "."} is not a directory: give the repository's folder (a git work tree or a plain checkout)`);
    let task: string;
    try {
      task = await readFile(resolve(io.cwd, options["task-file"]), "utf8");
    } catch (error) {
      throw new ConfigurationError(`cannot read --task-file ${options["task-file"]}: ${(error as Error).message}`);
    }
    if (!task.trim()) throw new ConfigurationError(`--task-file ${options["task-file"]} is empty: write the task or issue text into it`);
    const commit = await cleanCommit(repoDir);
    const excluded = [...(await protectedPaths(repoDir, commit)), ...options.exclude];
    const cacheDir = io.env.CODEGEN_CACHE_DIR ? resolve(io.env.CODEGEN_CACHE_DIR, "context") : undefined;
    const branch = options.base ? await branchChanges(repoDir, options.base) : [];
    const named = options.focus.map(repoRelativePath);
    const focus = [...named, ...branch];
    const focusReason = options.base ? `changed since ${options.base}${options.focus.length ? " or named by --focus" : ""}` : "named by --focus";
    const selection = await selectContext({ repoDir, task, budget: options.budget, commit, excluded, cacheDir, focus, focusReason });
    const ranked = new Set(selection.files.map((file) => file.path));
    for (const path of named.filter((p) => !ranked.has(p))) {
      io.stderr(`--focus ${path}: not ranked, so ignored (no such file, a protected path, or a kind the selector leaves out: lockfiles, generated, vendored, binary)\n`);
    }
    const files = selection.files.slice(0, options.limit);

    if (options.json) {
      const output = {
        files: files.map(({ path, score, tokens, reasons }) => ({ path, score, tokens, reasons })),
        budget: selection.budget,
        included: selection.included.map(({ path, role, tokens }) => ({ path, role, tokens })),
        usedTokens: selection.usedTokens,
      };
      io.stdout(JSON.stringify(output, null, 2) + "\n");
      return 0;
    }
    const stats = selection.stats;
    io.stdout(
      `${selection.files.length} ranked of ${stats?.candidates ?? "?"} candidates` +
        ` (${stats?.cacheHit ? "cached index" : "fresh index"}, ${stats?.elapsedMs ?? "?"} ms)\n\n`,
    );
    files.forEach((file, i) => {
      const why = file.reasons
        .slice(0, 3)
        .map((r) => `${r.signal} ${r.score.toFixed(2)}${r.detail ? ` (${r.detail})` : ""}`)
        .join("; ");
      io.stdout(`${String(i + 1).padStart(3)}. ${file.score.toFixed(3)}  ${String(file.tokens).padStart(6)} tok  ${file.path}\n       ${why}\n`);
    });
    io.stdout(`\nIn the prompt (${selection.usedTokens} of ${selection.budget} tokens):\n`);
    for (const file of selection.included) io.stdout(`  ${file.role.padEnd(12)} ${String(file.tokens).padStart(6)} tok  ${file.path}\n`);
    const mapLines = selection.repoMap.split("\n").filter((l) => l && !l.startsWith(" ")).length;
    io.stdout(`  ${"map".padEnd(12)} ${mapLines} more files by path and definitions\n`);
    return 0;
  },
};
