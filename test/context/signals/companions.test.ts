import type { IndexedFile } from "../../../src/context/repo-index.js";
import { companionKeys, companionScores } from "../../../src/context/signals/companions.js";
import type { FileKind } from "../../../src/context/candidates.js";

const file = (path: string, kind: FileKind): IndexedFile => ({ path, kind, bytes: 1, tokens: 1, language: "text", pathTerms: [], terms: {}, defs: [], refs: {}, imports: [], chunks: [] });

describe("companions", () => {
  it("names files by base name, or folder for index files", () => {
    expect(companionKeys("src/plugin/utc/index.js")).toEqual(["utc"]);
    expect(companionKeys("types/plugin/utc.d.ts")).toEqual(["utc"]);
    expect(companionKeys("pkg/server.pyi")).toEqual(["server"]);
    expect(companionKeys("lib/rules/color-named/README.md")).toEqual(["color-named"]);
    expect(companionKeys("README.md")).toEqual([]);
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

  it.each<[string, string, string[], string | undefined]>([
    ["a page named after the file", "lib/rules/no-empty.js", ["docs/rules/no-empty.md", "docs/rules/no-extra-semi.md"], "docs/rules/no-empty.md"],
    ["a page named in another case", "lib/reply.js", ["docs/Reply.md"], "docs/Reply.md"],
    ["a Python module's reStructuredText page", "flask/cli.py", ["docs/cli.rst", "docs/api.rst"], "docs/cli.rst"],
    ["a folder's README for the folder's index", "lib/rules/color-named/index.js", ["lib/rules/color-named/README.md", "lib/rules/color-no-hex/README.md"], "lib/rules/color-named/README.md"],
    ["a page of a script's name", "bin/lessc", ["docs/lessc.md"], "docs/lessc.md"],
    ["no page of that name", "src/parse.js", ["docs/format.md"], undefined],
  ])("lifts documentation: %s", (_, source, docs, expected) => {
    const files = [file(source, "source"), ...docs.map((path) => file(path, "docs"))];
    const scores = companionScores(files, new Map([[source, 1]]), 3);
    expect([...scores.keys()]).toEqual(expected ? [expected] : []);
    if (expected) expect(scores.get(expected)).toEqual({ score: 1, details: [`documentation of ${source}`] });
  });

  it("lifts no page whose name more than two pages share (translations)", () => {
    const pages = ["docs/en/cli.md", "docs/ja/cli.md", "docs/zh/cli.md"];
    const files = [file("src/cli.js", "source"), ...pages.map((path) => file(path, "docs"))];
    expect(companionScores(files, new Map([["src/cli.js", 1]]), 3).size).toBe(0);
  });
});
