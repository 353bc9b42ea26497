import { stripTemplate, templatePhrases } from "../../src/context/issue-template.js";
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";
const t = execSync("git --git-dir=/work/.mirror/iamkun+dayjs/repo show HEAD:.github/ISSUE_TEMPLATE/--bug-report.md").toString();
const ph = templatePhrases("a.md", t); console.log(ph);
const inst = readFileSync("/work/shared/data/localization/dayjs-dev.jsonl", "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
console.log(stripTemplate(inst[3].problem_statement, ph));
console.log("----"); console.log(stripTemplate(inst[8].problem_statement, ph));
