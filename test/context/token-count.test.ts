import { countTokens, tokenFeatures } from "../../src/context/token-count.js";

describe("countTokens", () => {
  it("is zero for empty text and grows with the text", () => {
    expect(countTokens("")).toBe(0);
    const one = countTokens("function add(a, b) { return a + b }\n");
    expect(one).toBeGreaterThan(5);
    expect(countTokens("function add(a, b) { return a + b }\n".repeat(10))).toBeGreaterThan(9 * one);
  });

  it("stays within the usual 2.5–5 characters per token on code", () => {
    const code = "export function parseDate(input: string): Date {\n  const [year, month] = input.split('-').map(Number)\n  return new Date(year, month - 1)\n}\n".repeat(20);
    const ratio = code.length / countTokens(code);
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(5);
  });

  it("counts non-ASCII text about a token per character", () => {
    expect(countTokens("日本語のテキスト")).toBeGreaterThanOrEqual(8);
  });

  it("extracts the features it is fitted on", () => {
    expect(tokenFeatures("fooBar 12;\n    x")).toEqual({ wordPieces: 3, digits: 2, punctuation: 1, newlines: 1, indents: 1, nonAscii: 0 });
  });
});
