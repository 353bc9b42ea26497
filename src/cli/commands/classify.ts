import { z } from "zod";
import { parseRepoConfig, REPO_CONFIG_PATH } from "../../config/load-repo-config.js";
import { runGit } from "../../git/safe-git.js";
import { classifyChanges } from "../../risk/classify.js";
import { readChangedFiles } from "../../risk/changed-files.js";
import { tierRank } from "../../risk/types.js";
import { parseOptions } from "../parse-options.js";
import type { CliCommand } from "../types.js";

const usage = `Usage: codegen classify --repo <dir> [--base <rev>] [--head <rev>] [--json]

Classify the diff between two revisions into risk tiers (default: the working tree against HEAD).
  --repo <dir>   the git repository (default: the current directory)
  --base <rev>   old side of the diff (default: HEAD)
  --head <rev>   new side of the diff (default: the working tree, untracked files included)
  --json         print { "tier", "files": [ { "path", "tier", "reasons" } ] }
The repository's .github/codegen.yml is read from the base revision, so a change cannot relax its own rules.`;

const optionsSchema = z
  .object({
    repo: z.string().min(1).optional(),
    base: z.string().min(1).optional(),
    head: z.string().min(1).optional(),
    json: z.boolean().optional(),
  })
  .strict();

async function configAt(repoDir: string, baseSha: string): Promise<string | null> {
  try {
    return (await runGit(["cat-file", "blob", `${baseSha}:${REPO_CONFIG_PATH}`], { cwd: repoDir })).toString("utf8");
  } catch {
    return null; // no config at the base revision: defaults
  }
}

export const classifyCommand: CliCommand = {
  name: "classify",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      { repo: { type: "string" }, base: { type: "string" }, head: { type: "string" }, json: { type: "boolean" } },
      optionsSchema,
      usage,
    );
    const repoDir = options.repo ?? io.cwd;
    const changes = await readChangedFiles(repoDir, { base: options.base, head: options.head });
    const config = parseRepoConfig(await configAt(repoDir, changes.baseSha));
    const assessment = classifyChanges(changes.files, config, { repoPaths: changes.repoPaths });
    if (options.json) {
      io.stdout(JSON.stringify(assessment, null, 2) + "\n");
      return 0;
    }
    const against = changes.headSha ? changes.headSha.slice(0, 12) : "working tree";
    io.stdout(`Risk: ${assessment.tier}  (${changes.baseSha.slice(0, 12)} → ${against}, ${assessment.files.length} files)\n`);
    const files = [...assessment.files].sort((a, b) => tierRank(b.tier) - tierRank(a.tier) || a.path.localeCompare(b.path));
    for (const file of files) {
      io.stdout(`\n${file.tier.padEnd(10)} ${file.path}\n`);
      for (const reason of file.reasons) io.stdout(`           - ${reason}\n`);
    }
    return 0;
  },
};
