import { distinctiveLines, findBundles } from "../../src/context/bundles.js";

/** A module of `n` distinct lines of code, named after `name`. */
const module = (name: string, n: number) =>
  Array.from({ length: n }, (_, i) => `  const ${name}Value${i} = compute${name}(input, ${i});`).join("\n");
const lines = (files: Record<string, string>) => new Map(Object.entries(files).map(([path, content]) => [path, distinctiveLines(content)]));
const bundlePaths = (files: Record<string, string>) => findBundles(lines(files)).map((b) => b.path);

const HEADER = Array.from({ length: 10 }, (_, i) => ` * (c) Example Corp: licensed under the MIT licence, clause ${i};`).join("\n");
const [a, b, c, d] = [module("alpha", 40), module("beta", 30), module("gamma", 20), module("delta", 25)];

describe("findBundles", () => {
  it.each<[string, Record<string, string>, string[]]>([
    ["a rollup of its modules with some glue", { "src/a.js": a, "src/b.js": b, "src/c.js": c, "lib/all.js": [a, b, c, module("glue", 10)].join("\n") }, ["lib/all.js"]],
    // Chart.js 1: the core is two thirds of the concatenation.
    ["a concatenation dominated by one large part", { "src/core.js": module("core", 200), "src/bar.js": b, "src/line.js": c, "src/pie.js": d, "Chart.js": [module("core", 200), b, c, d].join("\n") }, ["Chart.js"]],
    ["a bundle and a bigger bundle that holds it", { "src/a.js": a, "src/b.js": b, "src/c.js": c, "m.js": [a, b, c].join("\n"), "min/m-all.js": [a, b, c, d].join("\n"), "src/d.js": d }, ["m.js", "min/m-all.js"]],
    ["only two modules copied in", { "src/a.js": a, "src/b.js": b, "lib/all.js": [a, b].join("\n") }, []],
    ["modules mostly rewritten by the build", { "src/a.js": a, "src/b.js": b, "src/c.js": c, "lib/all.js": [a.slice(0, a.length / 3), b.slice(0, b.length / 3), c.slice(0, c.length / 3), module("other", 90)].join("\n") }, []],
    // knex's browser build: ten of its modules beside far more code of inlined dependencies.
    ["a browser build that inlines its dependencies", {
      ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`src/m${i}.js`, module(`m${i}`, 10)])),
      "build/lib.js": [...Array.from({ length: 10 }, (_, i) => module(`m${i}`, 10)), module("vendoredLodash", 300)].join("\n"),
    }, ["build/lib.js"]],
    ["nine modules in a file mostly of other code", {
      ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`src/m${i}.js`, module(`m${i}`, 10)])),
      "build/lib.js": [...Array.from({ length: 9 }, (_, i) => module(`m${i}`, 10)), module("vendoredLodash", 300)].join("\n"),
    }, []],
    // koin's Multiplatform NavViewModel.kt, ported from three Android and Compose files: no build writes Kotlin.
    ["a file in a language no build writes as source", { "src/A.kt": a, "src/B.kt": b, "src/C.kt": c, "common/All.kt": [a, b, c, module("glue", 10)].join("\n") }, []],
    ["a C++ amalgamation", { "src/a.cpp": a, "src/b.hpp": b, "src/c.cpp": c, "extras/amalgamated.cpp": [a, b, c].join("\n") }, ["extras/amalgamated.cpp"]],
    ["copies of one file are not bundles of each other", { "a.js": a, "b/a.js": a, "c/a.js": a, "d/a.js": a }, []],
    ["an umbrella type repeats its parts' imports and members", {
      "unions/Node.ts": [...["Expr", "Stmt", "Decl", "Pattern"].flatMap((k) => Array.from({ length: 20 }, (_, i) => `import type { ${k}Kind${i} } from '../${k}/spec';\n  | ${k}Kind${i}Declaration`))].join("\n"),
      ...Object.fromEntries(["Expr", "Stmt", "Decl", "Pattern"].map((k) => [`unions/${k}.ts`, Array.from({ length: 20 }, (_, i) => `import type { ${k}Kind${i} } from '../${k}/spec';\n  | ${k}Kind${i}Declaration`).join("\n")])),
    }, []],
    // Without the boilerplate rule the larger file would "hold" the nine others through their shared header.
    ["a license header shared by every file", Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`src/f${i}.js`, `${HEADER}\n${module(`f${i}`, i === 0 ? 5 : 2)}`])), []],
  ])("%s", (_name, files, expected) => {
    expect(bundlePaths(files).sort()).toEqual(expected);
  });

  it("names the files a bundle holds, the largest share first", () => {
    const [bundle] = findBundles(lines({ "src/a.js": a, "src/b.js": b, "src/c.js": c, "lib/all.js": [c, a, b].join("\n") }));
    expect(bundle).toEqual({ path: "lib/all.js", contains: ["src/a.js", "src/b.js", "src/c.js"] });
  });
});

describe("distinctiveLines", () => {
  it.each([
    ["short lines", "}\n  return x;\n};", 0],
    ["imports and requires", "import { parse } from './parser/index.js';\nconst parse = require('./parser/index.js');\nexport { parse } from './parser/index.js';", 0],
    ["a list without code punctuation", "  | TSTypeAliasDeclaration\n  | TSInterfaceDeclaration", 0],
    ["code, counted once whatever the indentation", "    const total = items.reduce(add, 0);\nconst total = items.reduce(add, 0);\nif (total > limit) throw new RangeError(total);", 2],
  ])("%s", (_name, content, count) => {
    expect(distinctiveLines(content).length).toBe(count);
  });
});
