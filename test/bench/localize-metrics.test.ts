import { changedLinesOfPatch, formatLead, goldFilesOfPatch, leadOverBaseline, rangesCover, type InstanceScore, type LeadOverBaseline } from "../../bench/localize/metrics.js";

const patch = [
  "diff --git a/src/a.js b/src/a.js",
  "--- a/src/a.js",
  "+++ b/src/a.js",
  "@@ -10,7 +10,7 @@ function f() {",
  " one",
  " two",
  " three",
  "-old line 13",
  "+new line 13",
  " five",
  " six",
  " seven",
  "@@ -40,6 +40,8 @@ function g() {",
  " a",
  " b",
  " c",
  "+added after 42",
  "+added again",
  " d",
  " e",
  " f",
  "diff --git a/src/new.js b/src/new.js",
  "new file mode 100644",
  "--- /dev/null",
  "+++ b/src/new.js",
  "@@ -0,0 +1,2 @@",
  "+x",
  "+y",
  "",
].join("\n");

describe("changedLinesOfPatch", () => {
  it("gives each hunk's changed old-file lines: the deleted ones, or the line an addition follows", () => {
    const changed = changedLinesOfPatch(patch);
    expect(changed.get("src/a.js")).toEqual([
      [13, 13],
      [42, 42],
    ]);
    expect(goldFilesOfPatch(patch)).toEqual(["src/a.js", "src/new.js"]);
  });
});

describe("rangesCover", () => {
  it.each<[string, [number, number][], [number, number][], boolean]>([
    ["every change inside a kept range", [[1, 20], [40, 50]], [[13, 13], [42, 42]], true],
    ["a change outside", [[1, 20]], [[13, 13], [42, 42]], false],
    ["a change across two kept ranges", [[1, 14], [15, 20]], [[13, 16]], false],
    ["nothing kept", [], [[1, 1]], false],
  ])("%s", (_, kept, changed, expected) => {
    expect(rangesCover(kept, changed)).toBe(expected);
  });
});

describe("leadOverBaseline", () => {
  const at5 = (recall: number): InstanceScore => ({ acc: {}, recall: { 5: recall }, rr: 0, budgetRecall: {}, budgetAcc: {} });

  it.each<[string, number[], number[], Partial<LeadOverBaseline>]>([
    ["a lead bounded by what the baseline misses", [1, 1, 0.5], [1, 0.5, 0.5], { wins: 1, losses: 0 }],
    ["a loss counts against the lead", [0, 1], [1, 0], { wins: 1, losses: 1 }],
    ["a baseline that misses nothing leaves no headroom", [1, 1], [1, 1], { wins: 0, losses: 0, recovered: undefined }],
  ])("%s", (_, selector, baseline, expected) => {
    const result = leadOverBaseline(selector.map(at5), baseline.map(at5));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(result.lead).toBeCloseTo(mean(selector) - mean(baseline));
    expect(result.headroom).toBeCloseTo(1 - mean(baseline));
    expect(result).toMatchObject(expected);
  });

  it("reports the share of the baseline's misses the selector recovers", () => {
    // Baseline recalls 0.8 on average: at most +0.2; the selector's +0.1 recovers half of it.
    const result = leadOverBaseline([at5(1), at5(0.8)], [at5(0.8), at5(0.8)]);
    expect(result.recovered).toBeCloseTo(0.5);
    expect(formatLead(result, "BM25, non-test source")).toBe(
      "selector R@5 against BM25, non-test source: +10.0 of at most +20.0 (50% of its misses recovered); instances won 1, lost 0",
    );
  });

  it("refuses scores of different instances", () => {
    expect(() => leadOverBaseline([at5(1)], [at5(1), at5(0)])).toThrow(/same instances/);
  });
});
