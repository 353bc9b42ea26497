import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coChangeScores, issueReferences, readHistory } from "../../../src/context/signals/history.js";
import { runGit } from "../../../src/git/safe-git.js";
import { createSampleRepo, type SampleRepo } from "../../fixtures/context/sample-repo.js";

describe("coChangeScores", () => {
  const history = [
    { files: ["a.js", "a.d.ts"] },
    { files: ["a.js", "a.d.ts", "hub.js"] },
    { files: ["a.js", "hub.js"] },
    { files: ["hub.js", "x.js"] },
    { files: ["hub.js", "y.js"] },
    { files: ["hub.js", "z.js"] },
  ];
  const candidates = new Set(["a.js", "a.d.ts", "hub.js", "x.js", "y.js", "z.js"]);

  it("scores files changed with the seeds, hubs less than faithful companions", () => {
    const scores = coChangeScores(history, new Map([["a.js", 1]]), candidates);
    expect(scores.get("a.d.ts")!.score).toBeGreaterThan(scores.get("hub.js")!.score);
    expect(scores.has("x.js")).toBe(false);
    expect(scores.has("a.js")).toBe(false);
    expect(scores.get("a.d.ts")!.details).toEqual(["changed with a.js"]);
  });

  it("is empty without seeds or history", () => {
    expect(coChangeScores(history, new Map(), candidates).size).toBe(0);
    expect(coChangeScores([], new Map([["a.js", 1]]), candidates).size).toBe(0);
  });
});

describe("readHistory", () => {
  let repo: SampleRepo;
  beforeAll(async () => {
    repo = await createSampleRepo();
  });
  afterAll(() => repo.cleanup());

  it("reads each commit's files and message, newest first, without the root commit", async () => {
    const history = await readHistory(repo.dir, repo.commit);
    expect(history).toHaveLength(4);
    expect(history[0]).toEqual({ files: ["src/index.js", "src/utils.js"], message: "change 3", hash: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(history[3]).toEqual({ files: ["src/plugin/duration/index.js", "types/plugin/duration.d.ts"], message: "fix: duration precision (#12)", hash: expect.any(String), refs: [12] });
    expect(history[0].hash).toBe((await runGit(["rev-parse", repo.commit], { cwd: repo.dir })).toString("utf8").trim());
  });

  it("keeps the subject and the start of the body of a long message", async () => {
    const body = "The rounding happened before the unit was chosen. " + "x".repeat(1000) + "\n\nFixes #31, gh-32";
    writeFileSync(join(repo.dir, "src/utils.js"), "export const pad = (v) => String(v)\n");
    await runGit(["commit", "-q", "-a", "-m", "fix: pad rounding", "-m", body], { cwd: repo.dir });
    const head = (await runGit(["rev-parse", "HEAD"], { cwd: repo.dir })).toString("utf8").trim();
    const [latest] = await readHistory(repo.dir, head);
    expect(latest.files).toEqual(["src/utils.js"]);
    expect(latest.message).toMatch(/^fix: pad rounding\n\nThe rounding happened before the unit was chosen\. x+$/);
    expect(latest.message).toHaveLength(400);
    // References are read from the whole message: trailers come last.
    expect(latest.refs).toEqual([31, 32]);
  });
});

describe("issueReferences", () => {
  it.each([
    ["Fixes #123 and closes #45", [123, 45]],
    ["fix: trim (#6789)", [6789]],
    ["see gh-12, GH-13; [#14]", [12, 13, 14]],
    ["https://github.com/o/r/issues/77 and https://github.com/o/r/pull/78", [77, 78]],
    ["#5 twice: #5", [5]],
    ["colour#333, anchor a#1, C# 7", []],
  ])("%j", (text, expected) => {
    expect(issueReferences(text)).toEqual(expected);
  });
});
