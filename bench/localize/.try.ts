import { readFileSync } from "node:fs";
import { selectContext } from "../../src/context/select-context.js";
const id = process.env.ID!;
const inst = readFileSync("/work/shared/data/localization/dayjs-dev.jsonl", "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((r) => r.instance_id.endsWith(id));
const sel = await selectContext({ repoDir: process.env.WT!, task: inst.problem_statement, budget: 16000, commit: inst.base_commit, cacheDir: "/tmp/ctx-cache" });
for (const f of sel.files.slice(0, Number(process.env.N ?? 8))) console.log(f.score, f.path, f.tokens, JSON.stringify(f.reasons));
console.log(sel.included.map((f) => `${f.role}:${f.path}:${f.tokens}`).join("  "), sel.usedTokens, sel.stats);
