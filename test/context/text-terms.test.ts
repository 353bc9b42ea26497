import { pathTerms, splitIdentifier, stem, termCounts, termsOf } from "../../src/context/text-terms.js";

describe("splitIdentifier", () => {
  it.each([
    ["parseHTTPResponse", ["parse", "http", "response"]],
    ["snake_case_name", ["snake", "case", "name"]],
    ["kebab-case", ["kebab", "case"]],
    ["toISOString", ["to", "iso", "string"]],
    ["utf8Decode", ["utf", "8", "decode"]],
    ["$scope", ["scope"]],
    ["X", ["x"]],
  ])("%s → %j", (input, expected) => {
    expect(splitIdentifier(input)).toEqual(expected);
  });
});

describe("stem", () => {
  it.each([
    ["formats", "format"],
    ["formatting", "format"],
    ["format", "format"],
    ["parse", "pars"],
    ["parsed", "pars"],
    ["parsing", "pars"],
    ["string", "string"],
    ["libraries", "library"],
    ["classes", "class"],
    ["class", "class"],
    ["status", "status"],
    ["is", "is"],
  ])("%s → %s", (input, expected) => expect(stem(input)).toBe(expected));
});

describe("termsOf", () => {
  it("keeps parts and the whole compound identifier, drops stopwords and numbers", () => {
    expect(termsOf("the toISOString of 2024")).toEqual(["iso", "string", "toisostring"]);
  });
  it("drops stopwords before stemming them into non-words", () => {
    expect(termsOf("there before while other")).toEqual([]);
    expect(termsOf("thereafter beforehand")).toEqual(["thereafter", "beforehand"]);
  });
  it("counts terms", () => {
    expect(Object.fromEntries(termCounts("duration Duration durations"))).toEqual({ duration: 3 });
  });
  it("splits paths into directory and file words without the extension", () => {
    expect(pathTerms("src/plugin/customParseFormat/index.js")).toEqual(["src", "plugin", "custom", "pars", "format", "customparseformat", "index"]);
  });
});
