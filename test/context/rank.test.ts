import { diversify, SIBLING_FACTOR } from "../../src/context/rank.js";
import type { RankedFile } from "../../src/context/types.js";

const ranked = (entries: [string, number][]): RankedFile[] => entries.map(([path, score]) => ({ path, score, tokens: 10, reasons: [{ signal: "bm25", score }] }));

describe("diversify", () => {
  it.each<[string, [string, number][], string[]]>([
    [
      "a shared helper passes the third and fourth near-identical rule",
      [["src/rules/a/index.js", 1], ["src/rules/b/index.js", 0.99], ["src/rules/c/index.js", 0.98], ["src/utils/helper.js", 0.95]],
      ["src/rules/a/index.js", "src/utils/helper.js", "src/rules/b/index.js", "src/rules/c/index.js"],
    ],
    [
      "files of different folders keep their order",
      [["src/a.js", 1], ["lib/b.js", 0.99], ["test/c.js", 0.98]],
      ["src/a.js", "lib/b.js", "test/c.js"],
    ],
    [
      "a clear lead of siblings survives the penalty",
      [["src/locale/de.js", 1], ["src/locale/fr.js", 0.98], ["src/other.js", 0.5]],
      ["src/locale/de.js", "src/locale/fr.js", "src/other.js"],
    ],
  ])("%s", (_name, input, order) => {
    expect(diversify(ranked(input)).map((f) => f.path)).toEqual(order);
  });

  it("says what it did to a file's score", () => {
    const [, second] = diversify(ranked([["src/x/a.js", 1], ["src/x/b.js", 0.9]]));
    expect(second.score).toBeCloseTo(0.9 * SIBLING_FACTOR, 4);
    expect(second.reasons.at(-1)).toEqual({ signal: "siblings", score: SIBLING_FACTOR, detail: "1 file of the same folder ranks above" });
  });
});
