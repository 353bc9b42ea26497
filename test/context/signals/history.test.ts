import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coChangeScores, fixFrequencyScores, readHistory } from "../../../src/context/signals/history.js";
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

describe("fixFrequencyScores", () => {
  it("counts the fixes each candidate took part in, damped by log", () => {
    const scores = fixFrequencyScores(
      [
        { files: ["a.js", "b.js"], fix: true },
        { files: ["a.js"], fix: true },
        { files: ["a.js", "c.js"], fix: false },
        { files: ["gone.js"], fix: true },
      ],
      new Set(["a.js", "b.js", "c.js"]),
    );
    expect(scores.get("a.js")).toEqual({ score: Math.log1p(2), details: ["2 past fixes"] });
    expect(scores.get("b.js")).toEqual({ score: Math.log1p(1), details: ["1 past fix"] });
    expect(scores.has("c.js")).toBe(false);
    expect(scores.has("gone.js")).toBe(false);
  });
});

describe("readHistory", () => {
  let repo: SampleRepo;
  let shallowDir: string;
  beforeAll(async () => {
    repo = await createSampleRepo();
    shallowDir = mkdtempSync(join(tmpdir(), "codegen-context-shallow-"));
    await runGit(["clone", "-q", "--depth", "1", `file://${repo.dir}`, join(shallowDir, "clone")], { cwd: shallowDir });
  });
  afterAll(() => {
    repo.cleanup();
    rmSync(shallowDir, { recursive: true, force: true });
  });

  it("reads the commits with their files, skipping the root commit", async () => {
    const history = await readHistory(repo.dir, repo.commit);
    expect(history).toHaveLength(4);
    expect(history[0]).toEqual({ files: ["src/index.js", "src/utils.js"], fix: false });
    expect(history[3]).toEqual({ files: ["src/plugin/duration/index.js", "types/plugin/duration.d.ts"], fix: true });
    expect(history.some((c) => c.files.includes("package.json"))).toBe(false);
  });

  it("degrades to no history in a shallow clone or without git", async () => {
    expect(await readHistory(join(shallowDir, "clone"), "HEAD")).toEqual([]);
    expect(await readHistory(shallowDir, "HEAD")).toEqual([]);
  });
});
