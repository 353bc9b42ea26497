import { parseRawDiff } from "../../src/git/changed-paths.js";

const Z = "0".repeat(40);
const A = "a".repeat(40);
const B = "b".repeat(40);

describe("parseRawDiff", () => {
  it.each([
    ["empty output", "", []],
    ["a modification", `:100644 100644 ${A} ${B} M\0src/a.ts\0`, [{ path: "src/a.ts", status: "M", oldMode: "100644", newMode: "100644" }]],
    ["an addition and a deletion", `:000000 100755 ${Z} ${A} A\0bin/run\0:100644 000000 ${B} ${Z} D\0old.txt\0`, [
      { path: "bin/run", status: "A", oldMode: "000000", newMode: "100755" },
      { path: "old.txt", status: "D", oldMode: "100644", newMode: "000000" },
    ]],
    ["a file turned into a symlink", `:100644 120000 ${A} ${B} T\0link\0`, [{ path: "link", status: "T", oldMode: "100644", newMode: "120000" }]],
    ["a name with a newline, tab and unicode", `:000000 100644 ${Z} ${A} A\0dir/a\nb\tc ü.txt\0`, [
      { path: "dir/a\nb\tc ü.txt", status: "A", oldMode: "000000", newMode: "100644" },
    ]],
    ["a name that looks like a header", `:000000 100644 ${Z} ${A} A\0:100644 100644 x y M\0`, [
      { path: ":100644 100644 x y M", status: "A", oldMode: "000000", newMode: "100644" },
    ]],
  ])("parses %s", (_name, output, expected) => {
    expect(parseRawDiff(output)).toEqual(expected);
    expect(parseRawDiff(Buffer.from(output))).toEqual(expected);
  });

  it("refuses rename records rather than misreading them", () => {
    expect(() => parseRawDiff(`:100644 100644 ${A} ${B} R100\0old\0new\0`)).toThrow(/rename/);
  });
});
