import type { IndexedFile } from "../../../src/context/repo-index.js";
import { Bm25, bm25FileSearch, bm25FunctionScores, queryTerms } from "../../../src/context/signals/bm25.js";
import { pathTerms, termCounts } from "../../../src/context/text-terms.js";

function file(path: string, content: string, chunks: { name: string; text: string }[] = []): IndexedFile {
  return {
    path,
    kind: "source",
    bytes: content.length,
    tokens: 10,
    language: "text",
    pathTerms: pathTerms(path),
    terms: Object.fromEntries(termCounts(content)),
    defs: [],
    refs: {},
    imports: [],
    chunks: chunks.map((c, i) => ({ name: c.name, line: i + 1, endLine: i + 1, terms: Object.fromEntries(termCounts(c.text)) })),
  };
}

describe("Bm25", () => {
  it("ranks the document with the rarer matching term first and ignores documents without matches", () => {
    const index = new Bm25([
      { id: "a", terms: { common: 3, rare: 1 } },
      { id: "b", terms: { common: 3 } },
      { id: "c", terms: { common: 1, other: 5 } },
      { id: "d", terms: { unrelated: 1 } },
    ]);
    const scores = index.score(new Map([["common", 1], ["rare", 1]]));
    expect(scores.has(3)).toBe(false);
    expect(scores.get(0)!).toBeGreaterThan(scores.get(1)!);
    expect(index.idf("rare")).toBeGreaterThan(index.idf("common"));
  });

  it("counts identifiers written as code twice in the query", () => {
    expect(queryTerms("the `toISOString` method").get("toisostring")).toBe(2);
  });
});

describe("bm25FileSearch / bm25FunctionScores", () => {
  const files = [
    file("src/duration.js", "export class Duration { toISOString() { return seconds } }", [
      { name: "toISOString", text: "toISOString() { return seconds precision }" },
      { name: "other", text: "add(a) { return a }" },
    ]),
    file("src/timezone.js", "export function tz(zone) { return offset(zone) }", [{ name: "tz", text: "tz(zone) { return offset }" }]),
  ];

  it("scores files by path and content, with evidence", () => {
    const scores = bm25FileSearch(files)("Duration toISOString has arbitrary precision");
    expect(scores.get("src/duration.js")!.score).toBeGreaterThan(scores.get("src/timezone.js")?.score ?? 0);
    expect(scores.get("src/duration.js")!.details[0]).toMatch(/terms: .*toisostring/);
  });

  it("scores a file by its best function", () => {
    const scores = bm25FunctionScores(files, "seconds precision");
    expect(scores.get("src/duration.js")).toEqual({ score: expect.any(Number), details: ["best match: toISOString"] });
    expect(scores.has("src/timezone.js")).toBe(false);
  });
});
