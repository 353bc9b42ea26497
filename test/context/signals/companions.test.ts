import type { IndexedFile } from "../../../src/context/repo-index.js";
import { companionKeys, companionScores } from "../../../src/context/signals/companions.js";
import type { FileKind } from "../../../src/context/candidates.js";

const file = (path: string, kind: FileKind): IndexedFile => ({ path, kind, bytes: 1, tokens: 1, language: "text", pathTerms: [], terms: {}, defs: [], refs: {}, imports: [], chunks: [] });

describe("companions", () => {
  it("names files by base name, or folder for index files", () => {
    expect(companionKeys("src/plugin/utc/index.js")).toEqual(["utc"]);
    expect(companionKeys("types/plugin/utc.d.ts")).toEqual(["utc"]);
    expect(companionKeys("pkg/server.pyi")).toEqual(["server"]);
  });

  it("gives a declaration file the relative score of the top source it describes", () => {
    const files = [file("src/plugin/utc/index.js", "source"), file("src/index.js", "source"), file("types/plugin/utc.d.ts", "types"), file("types/other.d.ts", "types")];
    const totals = new Map([["src/index.js", 2], ["src/plugin/utc/index.js", 1]]);
    const scores = companionScores(files, totals, 3);
    expect(scores.get("types/plugin/utc.d.ts")).toEqual({ score: 0.5, details: ["declarations of src/plugin/utc/index.js"] });
    expect(scores.size).toBe(1);
  });

  it("gives a script without an extension no declarations: it is run, never imported", () => {
    const files = [file("bin/terser", "source"), file("tools/terser.d.ts", "types")];
    expect(companionScores(files, new Map([["bin/terser", 1]]), 3).size).toBe(0);
  });
});
