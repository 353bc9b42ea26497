import type { HistoryCommit } from "../../../src/context/signals/history.js";
import { namedCommitScores, namedHashes, namedIssues } from "../../../src/context/signals/named-commits.js";

const history: HistoryCommit[] = [
  { hash: "f54a32f4c62c12a710335211a73cb002a7249646", files: ["src/lib/moment/now.js"], message: "Use Date.now for the current time" },
  { hash: "b1d686ed481e2211cb81a1c60eca850fcea93f21", files: ["src/lib/create/from-anything.js", "src/lib/moment/now.js", "src/lib/utils/hooks.js", "src/moment.js"], message: "refactor: creation helpers" },
  { hash: "1f613c2aaaa0000000000000000000000000000a", files: ["src/locale/it.js"], message: "fix(it): weekdays", refs: [4120] },
  { hash: "2222222222222222222222222222222222222222", files: ["src/lib/format/format.js", "README.md"], message: "feat: format tokens (#4101)", refs: [4101] },
];
const candidates = new Set(history.flatMap((c) => c.files));

describe("namedCommitScores", () => {
  it("follows a named commit to its files, a focused commit harder than a broad one", () => {
    const scores = namedCommitScores(history, "Broke in https://github.com/moment/moment/commit/f54a32f4c62c12a710335211a73cb002a7249646 and b1d686e", candidates);
    expect(scores.get("src/lib/moment/now.js")).toEqual({ score: 1, details: ['named commit f54a32f "Use Date.now for the current time"', 'named commit b1d686e "refactor: creation helpers"'] });
    expect(scores.get("src/moment.js")!.score).toBeCloseTo(0.25);
    expect(scores.has("src/locale/it.js")).toBe(false);
  });

  it("follows an issue or pull request number to the commits that refer to it", () => {
    const scores = namedCommitScores(history, "Same as #4120, and maybe related to https://github.com/moment/moment/pull/4101", candidates);
    expect(scores.get("src/locale/it.js")).toEqual({ score: 1, details: ['commit "fix(it): weekdays" refers to #4120'] });
    expect(scores.get("src/lib/format/format.js")!.score).toBeCloseTo(0.5);
  });

  it.each([
    ["a snapshot link names no change", "see https://github.com/o/r/blob/f54a32f4c62c12a710335211a73cb002a7249646/src/lib/moment/now.js#L3"],
    ["a hash in a code block is data", "```\nid: b1d686ed\n```"],
    ["a colour in code is no issue number", "`color: #4120` and ```css\na { color: #4101 }\n```"],
    ["an unknown hash or number", "broke in deadbeef1 and #9"],
    ["no reference at all", "Italian long date format shouldn't use a comma"],
  ])("is empty when %s", (_case, task) => {
    expect(namedCommitScores(history, task, candidates).size).toBe(0);
  });

  it("leaves out files that are not candidates", () => {
    const scores = namedCommitScores(history, "regression from #4101", new Set(["src/lib/format/format.js"]));
    expect([...scores.keys()]).toEqual(["src/lib/format/format.js"]);
  });
});

describe("namedHashes and namedIssues", () => {
  it.each([
    ["as of 1f613c2 (version 2.18.1)", ["1f613c2"], []],
    ["words like deadline or 1234567 are not hashes", [], []],
    ["Fixed by #12 (see gh-13)", [], [12, 13]],
  ])("%j", (task, hashes, issues) => {
    expect(namedHashes(task)).toEqual(hashes);
    expect(namedIssues(task)).toEqual(issues);
  });
});
