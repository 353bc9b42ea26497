import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coChangeScores, readHistory } from "../../../src/context/signals/history.js";
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
