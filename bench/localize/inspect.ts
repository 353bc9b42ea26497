/**
 * Development aid: the selector's ranking of one instance with every signal's contribution, and where the gold
 * files landed. Use it on the development sets only; looking at held-out misses is tuning.
 *
 * node bench/run.mjs localize inspect --data <jsonl> --id <instance_id> [--mirrors /work/.mirror] [--top 12]
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { packContext } from "../../src/context/pack.js";
import { rankFiles } from "../../src/context/rank.js";
import { readRegularFile } from "../../src/context/repo-index.js";
import { loadRepository } from "../../src/context/select-context.js";
import { runGit } from "../../src/git/safe-git.js";
import { addWorktree, findMirror, readInstances } from "./checkout.js";
import { goldFilesOfPatch } from "./metrics.js";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    id: { type: "string", multiple: true },
    mirrors: { type: "string", default: "/work/.mirror" },
    top: { type: "string", default: "12" },
    /** Also show what the real packing includes within this many tokens. */
    pack: { type: "string" },
  },
});
if (!values.data || !values.id) {
  console.error("usage: node bench/run.mjs localize inspect --data <jsonl> --id <instance_id> [--id ...]");
  process.exit(2);
}
const rows = readInstances(values.data!);
const work = mkdtempSync(join(tmpdir(), "codegen-localize-inspect-"));
try {
  for (const id of values.id) {
    const row = rows.find((r) => r.instance_id === id);
    if (!row) throw new Error(`no instance ${id}`);
    if (/heldout/i.test(values.data!)) console.error(`warning: ${id} is in the held-out set`);
    const mirror = findMirror(values.mirrors!, row.repo);
    const dir = join(work, row.base_commit);
    if (!existsSync(dir)) await addWorktree(mirror, dir, row.base_commit);
    try {
      const repo = await loadRepository({ repoDir: dir, commit: row.base_commit, cacheDir: join(work, "cache") });
      const ranking = rankFiles(repo.index, row.problem_statement, { history: repo.history });
      const gold = new Set(goldFilesOfPatch(row.patch));
      console.log(`\n== ${id} gold: ${[...gold].join(" ")}`);
      ranking.files.forEach((file, i) => {
        if (i >= Number(values.top) && !gold.has(file.path)) return;
        const reasons = file.reasons.map((r) => `${r.signal} ${r.score}${r.detail ? ` (${r.detail.slice(0, 70)})` : ""}`).join(" | ");
        console.log(`${String(i + 1).padStart(4)} ${gold.has(file.path) ? "*" : " "} ${file.score.toFixed(3)} ${file.path}  ${reasons}`);
      });
      for (const g of gold) if (!ranking.files.some((f) => f.path === g)) console.log(`     * not ranked: ${g}`);
      if (values.pack) {
        const read = async (path: string) => (await readRegularFile(dir, path))?.toString("utf8");
        const selection = await packContext({ index: repo.index, ranked: ranking.files, resolver: ranking.resolver, budget: Number(values.pack), read, task: row.problem_statement });
        const rankOf = new Map(ranking.files.map((f, i) => [f.path, i + 1]));
        console.log(`   packed within ${values.pack} tokens (used ${selection.usedTokens}, map ${selection.repoMap.split("\n").filter(Boolean).length} lines):`);
        for (const f of selection.included) console.log(`     ${gold.has(f.path) ? "*" : " "} ${f.role.padEnd(12)} ${String(f.tokens).padStart(6)} rank ${rankOf.get(f.path) ?? "-"} ${f.path}`);
      }
    } finally {
      await runGit(["worktree", "remove", "--force", dir], { cwd: mirror }).catch(() => undefined);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
