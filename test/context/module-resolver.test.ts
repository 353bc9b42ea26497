import { createModuleResolver } from "../../src/context/module-resolver.js";

const resolver = createModuleResolver([
  "src/index.js",
  "src/utils.ts",
  "src/plugin/utc/index.js",
  "lib/pkg/__init__.py",
  "lib/pkg/handlers.py",
  "src/main/java/com/acme/Foo.java",
  "pkg/report/table.go",
  "pkg/report/table_test.go",
  "pkg/report/render.go",
  "a/react.js",
  "b/react.js",
  "crates/searcher/src/lib.rs",
  "crates/searcher/src/sink.rs",
  "crates/searcher/src/searcher/mod.rs",
  "crates/searcher/src/searcher/glue.rs",
  "crates/searcher/src/lines.rs",
  "crates/searcher/src/lines/iter.rs",
  "src/Composer/Package/Loader.php",
  "app/Http/Kernel.php",
]);

describe("createModuleResolver", () => {
  it.each([
    ["src/plugin/utc/index.js", "../../utils", ["src/utils.ts"]],
    ["src/plugin/utc/index.js", "../../index", ["src/index.js"]],
    ["src/index.js", "./plugin/utc", ["src/plugin/utc/index.js"]],
    ["src/plugin/utc/test.js", ".", ["src/plugin/utc/index.js"]],
    ["src/plugin/test.js", "..", ["src/index.js"]],
    ["lib/pkg/handlers.py", ".", ["lib/pkg/__init__.py"]],
    ["", "mylib/plugin/utc", ["src/plugin/utc/index.js"]],
    ["lib/pkg/__init__.py", ".handlers", ["lib/pkg/handlers.py"]],
    ["", "pkg.handlers", ["lib/pkg/handlers.py"]],
    ["", "com.acme.Foo", ["src/main/java/com/acme/Foo.java"]],
    ["cmd/main.go", "github.com/acme/app/pkg/report", ["pkg/report/render.go", "pkg/report/table.go"]],
    ["src/index.js", "react", []],
    ["src/index.js", "./missing", []],
    ["crates/searcher/src/searcher/glue.rs", "crate::sink::SinkError", ["crates/searcher/src/sink.rs"]],
    ["crates/searcher/src/lib.rs", "crate::searcher::Searcher", ["crates/searcher/src/searcher/mod.rs"]],
    ["crates/searcher/src/lib.rs", "self::sink", ["crates/searcher/src/sink.rs"]],
    ["crates/searcher/src/searcher/mod.rs", "self::glue", ["crates/searcher/src/searcher/glue.rs"]],
    ["crates/searcher/src/lines.rs", "self::iter", ["crates/searcher/src/lines/iter.rs"]],
    ["crates/searcher/src/searcher/mod.rs", "super::lines::LineStep", ["crates/searcher/src/lines.rs"]],
    ["crates/searcher/src/searcher/glue.rs", "super::glue", ["crates/searcher/src/searcher/glue.rs"]],
    ["crates/searcher/src/lib.rs", "crate::missing::Thing", []],
    ["", "crate::sink", []],
    ["src/Installer.php", "Composer\\Package\\Loader", ["src/Composer/Package/Loader.php"]],
    ["", "App\\Http\\Kernel", ["app/Http/Kernel.php"]],
  ])("from %s, %s resolves to %j", (from, specifier, expected) => {
    expect(resolver.resolve(from, specifier).sort()).toEqual(expected);
  });
});
