import { createModuleResolver } from "../../../src/context/module-resolver.js";
import { buildCodeGraph, codeGraphScores, personalizedPageRank } from "../../../src/context/signals/code-graph.js";
import { indexedFile } from "../../support/indexed-file.js";

const file = (path: string, defs: string[], refs: Record<string, number>, imports: string[] = []) => indexedFile(path, { defs, refs, imports });

const files = [
  file("src/app.js", ["main"], { renderTable: 3, loadConfig: 1 }, ["./config"]),
  file("src/table.js", ["renderTable"], { padCell: 2 }),
  file("src/pad.js", ["padCell"], {}),
  file("src/config.js", ["loadConfig"], {}),
  file("src/unrelated.js", ["other"], {}),
];
const graph = buildCodeGraph(files, createModuleResolver(files.map((f) => f.path)));

describe("buildCodeGraph", () => {
  it("adds an edge from a user to the definer, weighted by references, plus import edges", () => {
    const index = (p: string) => graph.nodes.indexOf(p);
    const fromApp = graph.edges[index("src/app.js")];
    expect(fromApp.get(index("src/table.js"))).toBeCloseTo(10 * Math.sqrt(3)); // long compound name: x10
    expect(fromApp.get(index("src/config.js"))).toBeCloseTo(10 * 1 + 1); // reference plus import
    expect(graph.edges[index("src/unrelated.js")].size).toBe(0);
  });
});

describe("personalizedPageRank", () => {
  it("sends rank from the seeds to what they use, transitively, and none to unrelated files", () => {
    const rank = personalizedPageRank(graph, new Map([["src/app.js", 1]]));
    expect(rank.get("src/table.js")!).toBeGreaterThan(rank.get("src/unrelated.js")!);
    expect(rank.get("src/pad.js")!).toBeGreaterThan(0);
    expect(rank.get("src/unrelated.js")).toBe(0);
    const total = [...rank.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 5);
  });

  it("is uniform without seeds, and explains scores by seed users", () => {
    const rank = personalizedPageRank(graph, new Map());
    expect(rank.get("src/unrelated.js")!).toBeGreaterThan(0);
    const scores = codeGraphScores(graph, new Map([["src/app.js", 1]]));
    expect(scores.get("src/table.js")!.details).toEqual(["used by src/app.js"]);
  });
});
