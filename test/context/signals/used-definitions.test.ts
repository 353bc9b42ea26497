import { createModuleResolver } from "../../../src/context/module-resolver.js";
import { queryTerms } from "../../../src/context/signals/bm25.js";
import { usedDefinitionScores } from "../../../src/context/signals/used-definitions.js";
import { termCounts } from "../../../src/context/text-terms.js";
import { indexedFile } from "../../support/indexed-file.js";

const file = (path: string, { text, ...fields }: { defs?: string[]; refs?: Record<string, number>; imports?: string[]; text?: string } = {}) =>
  indexedFile(path, {
    ...fields,
    defKind: "constant",
    terms: Object.fromEntries(termCounts(text ?? [...(fields.defs ?? []), ...Object.keys(fields.refs ?? {})].join(" "))),
  });

const files = [
  file("src/index.js", { defs: ["parseDate"], refs: { REGEX_PARSE: 1, MS_PER_SECOND: 2, pad: 1 }, imports: ["./constant", "./utils"] }),
  file("src/constant.js", { defs: ["REGEX_PARSE", "MS_PER_SECOND", "FORMAT_DEFAULT"] }),
  file("src/utils.js", { defs: ["pad"] }),
  file("src/other.js", { defs: ["REGEX_PARSE_LEGACY"], refs: { REGEX_PARSE: 1 } }),
  ...Array.from({ length: 20 }, (_, i) => file(`src/filler${i}.js`, { defs: [`filler${i}`], text: "date value string" })),
];
const resolver = createModuleResolver(files.map((f) => f.path));
const score = (task: string, seeds: [string, number][]) => usedDefinitionScores(files, new Map(seeds), queryTerms(task), resolver);

describe("usedDefinitionScores", () => {
  it("credits the module that defines a name the seed uses when the name matches the issue", () => {
    const scores = score("Parsing a string with milliseconds shifts the hour", [["src/index.js", 1]]);
    expect(scores.get("src/constant.js")?.score).toBeGreaterThan(0);
    expect(scores.get("src/constant.js")?.details[0]).toBe("REGEX_PARSE used by src/index.js");
    expect(scores.has("src/utils.js")).toBe(false); // `pad` says nothing about parsing
    expect(scores.has("src/index.js")).toBe(false); // a seed's own definitions are not one hop away
  });

  it.each([
    ["no seeds", "parse", []],
    ["no issue terms among the names", "timezone offset is wrong", [["src/index.js", 1]]],
  ] as [string, string, [string, number][]][])("gives nothing with %s", (_, task, seeds) => {
    expect(score(task, seeds).size).toBe(0);
  });

  it("scales with the seed's weight and takes a definer's best name, not the sum of its names", () => {
    const strong = score("parse milliseconds", [["src/index.js", 1]]).get("src/constant.js")!.score;
    const weak = score("parse milliseconds", [["src/index.js", 0.5]]).get("src/constant.js")!.score;
    expect(weak).toBeCloseTo(strong / 2, 6);
    const one = score("parse", [["src/index.js", 1]]).get("src/constant.js")!.score;
    const both = score("parse second", [["src/index.js", 1]]).get("src/constant.js")!.score;
    expect(both).toBeCloseTo(Math.max(one, score("second", [["src/index.js", 1]]).get("src/constant.js")!.score), 6);
  });

  it("follows a name without an import only to its single definer", () => {
    // src/other.js does not import the constants; REGEX_PARSE has one definer, so it is still credited.
    const scores = score("parse", [["src/other.js", 1]]);
    expect(scores.get("src/constant.js")?.details).toEqual(["REGEX_PARSE used by src/other.js"]);
  });
});
