import { extractImports, extractRefs, extractTextDefinitions, TagExtractor } from "../../../src/context/tags/extract-tags.js";

let extractor: TagExtractor;
beforeAll(async () => {
  extractor = await TagExtractor.create();
});
afterAll(() => extractor.dispose());

const defsOf = async (path: string, content: string) => (await extractor.extract(path, content)).defs.map((d) => `${d.kind}:${d.name}@${d.line}`);

describe("TagExtractor (tree-sitter)", () => {
  it.each([
    [
      "a.js",
      "const f = (a) => a\nfunction g(b) { return b }\nclass C {\n  m() {}\n}\nproto.toISOString = function () {}\n",
      ["function:f@1", "function:g@2", "class:C@3", "method:m@4", "method:toISOString@6"],
    ],
    [
      "a.ts",
      "interface I { a(): void }\ntype T = string\nenum E { A }\nexport class K {\n  run(): void {}\n}\nexport function h(x: number): number { return x }\n",
      ["method:a@1", "interface:I@1", "type:T@2", "enum:E@3", "class:K@4", "method:run@5", "function:h@7"],
    ],
    [
      "consts.js",
      "export const REGEX_PARSE = /x/\nconst A = 1, B = () => 2\nvar V = { a: 1 }\nconst f = function () {}\nfunction g() { const inner = 3 }\nlet q\n",
      ["constant:REGEX_PARSE@1", "constant:A@2", "function:B@2", "constant:V@3", "function:f@4", "function:g@5"],
    ],
    ["requires.js", "const fs = require('fs')\nconst { join } = require('path')\nconst rule = require('./rule').create\nconst RULES = new Map()\n", ["constant:RULES@4"]],
    ["consts.ts", "export const LIMIT: number = 3\nexport const F = (a: number) => a\n", ["constant:LIMIT@1", "function:F@2"]],
    ["a.tsx", "export const App = () => <div/>\nfunction Foo(): JSX.Element { return <b/> }\n", ["function:App@1", "function:Foo@2"]],
    ["a.py", "import os\nclass A:\n    def m(self):\n        pass\ndef f():\n    pass\nLIMIT = 1\n", ["class:A@2", "function:m@3", "function:f@5", "constant:LIMIT@7"]],
    ["a.go", "package main\ntype S struct{}\nfunc (s S) M() {}\nfunc F() {}\n", ["type:S@2", "method:M@3", "function:F@4"]],
    ["A.java", "class A {\n  A() {}\n  void m() {}\n  interface I {}\n  enum E { X }\n}\n", ["class:A@1", "method:A@2", "method:m@3", "interface:I@4", "enum:E@5"]],
    ["a.rb", "module M\n  class B\n    def m; end\n    def self.s; end\n  end\nend\n", ["module:M@1", "class:B@2", "method:m@3", "method:s@4"]],
  ])("finds the definitions of %s", async (path, content, expected) => {
    expect(await defsOf(path, content)).toEqual(expected);
  });

  it("records the whole range and the first line as signature", async () => {
    const tags = await extractor.extract("a.py", "def long_one(a, b):\n    x = 1\n    return x\n");
    expect(tags.language).toBe("python");
    expect(tags.defs[0]).toEqual({ name: "long_one", kind: "function", line: 1, endLine: 3, signature: "def long_one(a, b):" });
  });

  it("falls back to plain text for other languages", async () => {
    const tags = await extractor.extract("lib.rs", "pub fn render() {}\nstruct Table;\n");
    expect(tags.language).toBe("text");
    expect(tags.defs.map((d) => d.name)).toEqual(["render", "Table"]);
  });
});

describe("regex parts", () => {
  it("collects references without keywords and without reading Object.prototype", () => {
    const refs = extractRefs("const constructor = toString(value); return value");
    expect(refs).toEqual(Object.assign(Object.create(null), { constructor: 1, toString: 1, value: 2 }));
  });

  it.each([
    ["a.ts", "import x from './b'\nimport { y } from \"pkg/c\"\nconst z = require('z')\nexport * from './d'\n", ["./b", "./d", "pkg/c", "z"]],
    ["a.py", "import os.path\nfrom .handlers import handle\nfrom pkg.mod import x\n", [".handlers", "os.path", "pkg.mod"]],
    ["a.go", 'package a\nimport (\n\t"fmt"\n\tx "github.com/acme/app/pkg/y"\n)\n', ["fmt", "github.com/acme/app/pkg/y"]],
    ["A.java", "import com.acme.Foo;\nimport static com.acme.Bar.baz;\n", ["com.acme.Bar.baz", "com.acme.Foo"]],
    ["a.rb", "require 'json'\nrequire_relative 'lib/x'\n", ["json", "lib/x"]],
    ["src/lib.rs", "use std::io;\nuse crate::walk::Walker;\npub(crate) use super::config::{A, B};\nmod printer;\npub mod sink;\nmod tests {\n}\n", ["crate::walk::Walker", "self::printer", "self::sink", "super::config"]],
    ["src/Loader.php", "<?php\nnamespace Composer;\nuse Composer\\Package\\Loader;\nuse \\Psr\\Log\\LoggerInterface;\nrequire_once 'lib/helpers.php';\n", ["Composer\\Package\\Loader", "Psr\\Log\\LoggerInterface", "lib/helpers.php"]],
    ["src/x.cpp", "#include \"fmt/core.h\"\n#include <vector>\n", ["fmt/core.h"]],
  ])("extracts the imports of %s", (path, content, expected) => {
    expect(extractImports(content, path)).toEqual(expected);
  });

  it("finds text definitions by keyword", () => {
    expect(extractTextDefinitions("fn a() {}\n  def b\nclass C\n").map((d) => `${d.kind}:${d.name}@${d.line}`)).toEqual(["function:a@1", "function:b@2", "class:C@3"]);
  });
});
