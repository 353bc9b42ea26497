import { changedLinesOfPatch, goldFilesOfPatch, rangesCover } from "../../bench/localize/metrics.js";

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
