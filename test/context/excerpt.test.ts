import { excerptFile, gapMarker, mergeRanges, renderExcerpt } from "../../src/context/excerpt.js";
import { renderFileBlock } from "../../src/context/prompt-format.js";
import type { Chunk, IndexedFile } from "../../src/context/repo-index.js";
import { termCounts } from "../../src/context/text-terms.js";
import { countTokens } from "../../src/context/token-count.js";

describe("mergeRanges", () => {
  it.each<[string, [number, number][], [number, number][]]>([
    ["sorts", [[10, 12], [1, 3]], [[1, 3], [10, 12]]],
    ["joins overlapping ranges", [[1, 5], [4, 9]], [[1, 9]]],
    ["joins touching ranges", [[1, 5], [6, 9]], [[1, 9]]],
    ["keeps a gap of one line", [[1, 5], [7, 9]], [[1, 5], [7, 9]]],
    ["swallows a contained range", [[1, 20], [4, 9]], [[1, 20]]],
    ["nothing", [], []],
  ])("%s", (_, input, expected) => {
    expect(mergeRanges(input)).toEqual(expected);
  });
});

describe("renderExcerpt", () => {
  const lines = ["a", "b", "c", "d", "e", "f"];
  it.each<[string, [number, number][], string[]]>([
    ["a middle part: markers before and after", [[3, 4]], [gapMarker(1, 2), "c", "d", gapMarker(5, 6)]],
    ["from the first line", [[1, 2]], ["a", "b", gapMarker(3, 6)]],
    ["to the last line", [[5, 6]], [gapMarker(1, 4), "e", "f"]],
    ["two parts", [[1, 1], [4, 4]], ["a", gapMarker(2, 3), "d", gapMarker(5, 6)]],
    ["everything: no marker", [[1, 6]], lines],
  ])("%s", (_, ranges, expected) => {
    expect(renderExcerpt(lines, ranges)).toBe(expected.join("\n") + "\n");
  });
});

/** A file of `count` functions, `bodyLines` lines each; function i mentions `topics[i]` in every line. */
function fileOfFunctions(topics: string[], bodyLines: number) {
  const lines: string[] = [];
  const chunks: Chunk[] = [];
  topics.forEach((topic, i) => {
    const start = lines.length + 1;
    lines.push(`function handler${i}(input) {`);
    for (let j = 0; j < bodyLines; j++) lines.push(`  const ${topic}Value${j} = compute${topic}(input, ${j});`);
    lines.push("}");
    chunks.push({ name: `handler${i}`, line: start, endLine: lines.length, terms: Object.fromEntries(termCounts(lines.slice(start - 1).join("\n"))) });
  });
  const content = lines.join("\n") + "\n";
  const file: IndexedFile = {
    path: "src/big.js",
    kind: "source",
    bytes: content.length,
    tokens: countTokens(renderFileBlock("src/big.js", "target", content)),
    language: "javascript",
    pathTerms: ["big"],
    terms: {},
    defs: [],
    refs: {},
    imports: [],
    chunks,
  };
  return { file, content, lines };
}

describe("excerptFile", () => {
  const topics = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
  const { file, content, lines } = fileOfFunctions(topics, 30);

  it("keeps the functions that match the task, verbatim, with the rest marked as not shown", () => {
    const part = excerptFile(file, content, "Crash in computeCharlie when the charlie value is negative", 2000)!;
    expect(part).toBeDefined();
    const charlie = file.chunks[2];
    expect(part.ranges).toEqual([[charlie.line, charlie.endLine]]);
    expect(part.content).toContain(lines.slice(charlie.line - 1, charlie.endLine).join("\n"));
    expect(part.content).toContain(gapMarker(1, charlie.line - 1));
    expect(part.content).not.toContain("computealpha(");
    expect(part.tokens).toBe(countTokens(renderFileBlock(file.path, "excerpt", part.content)));
  });

  it("takes several matching functions, best first, within the limit", () => {
    const task = "computeEcho and computeGolf both fail; computeGolf fails twice as often (golf golf)";
    const roomy = excerptFile(file, content, task, 5000)!;
    expect(roomy.ranges).toEqual([file.chunks[4], file.chunks[6]].map((c) => [c.line, c.endLine]));
    // Room for one function only: the better match (golf) is kept.
    const oneFunction = countTokens(renderFileBlock(file.path, "excerpt", renderExcerpt(lines, [[file.chunks[6].line, file.chunks[6].endLine]])));
    const tight = excerptFile(file, content, task, oneFunction + 20)!;
    expect(tight.ranges).toEqual([[file.chunks[6].line, file.chunks[6].endLine]]);
    expect(tight.tokens).toBeLessThanOrEqual(oneFunction + 20);
  });

  it.each([
    ["no function matches the task", "Unrelated words only: kilo lima mike", 5000],
    ["no function fits the limit", "computeCharlie is wrong", 30],
  ])("gives nothing when %s", (_, task, limit) => {
    expect(excerptFile(file, content, task as string, limit as number)).toBeUndefined();
  });

  it("gives nothing for a file without chunks", () => {
    expect(excerptFile({ ...file, chunks: [] }, content, "computeCharlie", 5000)).toBeUndefined();
  });
});
