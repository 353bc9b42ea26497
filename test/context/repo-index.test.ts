import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { MAX_FILE_BYTES } from "../../src/context/candidates.js";
import { buildRepoIndex } from "../../src/context/repo-index.js";

const module = (name: string, n: number) =>
  Array.from({ length: n }, (_, i) => `export function ${name}${i}(input) { return compute${name}(input, ${i}); }`).join("\n");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "codegen-repo-index-"));
  const put = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const parts = { "src/format.js": module("format", 30), "src/parse.js": module("parse", 25), "src/locale.js": module("locale", 20) };
  for (const [path, content] of Object.entries(parts)) put(path, content);
  // Build output committed beside its sources (as moment.js is), without a marker or a dist/ folder.
  put("moment.js", `;(function (global) {\n${Object.values(parts).join("\n")}\n})(this);\n`);
  // A library kept in one file (as lodash.js is), over the general size limit; and data of the same size.
  const big = module("library", Math.ceil((MAX_FILE_BYTES + 1024) / 60));
  put("library.js", big);
  put("data/table.json", JSON.stringify({ rows: big.split("\n") }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("buildRepoIndex", () => {
  it("leaves out build output that holds other files, ranks a one-file library, and drops large data", async () => {
    const index = await buildRepoIndex(dir);
    const kinds = Object.fromEntries(index.files.map((f) => [f.path, f.kind]));
    expect(kinds).toEqual({ "library.js": "source", "src/format.js": "source", "src/locale.js": "source", "src/parse.js": "source" });
    expect(index.dropped).toEqual({ generated: 1, large: 1 });
    const library = index.files.find((f) => f.path === "library.js")!;
    expect(library.bytes).toBeGreaterThan(MAX_FILE_BYTES);
    expect(library.defs.map((d) => d.name)).toContain("library0");
  });
});
