import { pastCommitScores } from "../../../src/context/signals/past-commits.js";
import type { HistoryCommit } from "../../../src/context/signals/history.js";

describe("pastCommitScores", () => {
  const history: HistoryCommit[] = [
    { files: ["src/plugin/relativeTime/index.js"], message: "fix: plural units in relativeTime thresholds (#1103)" },
    { files: ["src/plugin/relativeTime/index.js", "src/locale/de.js", "src/locale/fr.js", "src/locale/es.js"], message: "feat: relativeTime strings for more locales" },
    { files: ["src/index.js", "src/utils.js"], message: "fix: parse ISO week years" },
    { files: ["src/plugin/utc/index.js"], message: "chore: release 1.2.0" },
    { files: ["README.md"] },
  ];
  const candidates = new Set(["src/plugin/relativeTime/index.js", "src/locale/de.js", "src/locale/fr.js", "src/locale/es.js", "src/index.js", "src/utils.js", "src/plugin/utc/index.js"]);

  it("scores the files of commits whose messages read like the issue, a focused commit above a broad one", () => {
    const scores = pastCommitScores(history, "relativeTime gives wrong plural units for 45 days", candidates);
    const relative = scores.get("src/plugin/relativeTime/index.js")!;
    expect(relative.details[0]).toBe('changed by "fix: plural units in relativeTime thresholds (#1103)"');
    expect(relative.score).toBeGreaterThan(scores.get("src/locale/de.js")!.score);
    expect(scores.has("src/index.js")).toBe(false);
    expect(scores.has("src/plugin/utc/index.js")).toBe(false);
  });

  it.each([
    ["no commit has a message", history.map((c) => ({ files: c.files })), "relativeTime plural units"],
    ["no message shares a word with the issue", history, "zebra quantum"],
    ["the history is empty", [], "relativeTime plural units"],
  ])("is empty when %s", (_case, commits, task) => {
    expect(pastCommitScores(commits as HistoryCommit[], task, candidates).size).toBe(0);
  });

  it("leaves out files that are not candidates (deleted since, or excluded)", () => {
    const scores = pastCommitScores(history, "relativeTime strings for locales", new Set(["src/locale/de.js"]));
    expect([...scores.keys()]).toEqual(["src/locale/de.js"]);
  });

  it("lets only the ten closest commits count", () => {
    const many: HistoryCommit[] = Array.from({ length: 12 }, (_, i) => ({ files: [`src/f${i}.js`], message: i < 11 ? "fix duration rounding" : "fix duration rounding and duration rounding" }));
    const scores = pastCommitScores(many, "duration rounding", new Set(many.flatMap((c) => c.files)));
    expect(scores.size).toBe(10);
    expect(scores.has("src/f11.js")).toBe(true);
  });
});
