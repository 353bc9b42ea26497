import { createModuleResolver } from "../../../src/context/module-resolver.js";
import { matchPath, mentionScores, nameMentionScores, parseMentions, pathMentionScores } from "../../../src/context/signals/mentions.js";
import { indexedFile } from "../../support/indexed-file.js";

describe("parseMentions", () => {
  it("finds stack frames of JavaScript, Python, JVM and Go", () => {
    const text = [
      "TypeError: x is undefined",
      "    at Object.format (/home/me/app/node_modules/lib/src/index.js:120:15)",
      '  File "/srv/app/lib/server.py", line 7, in serve_forever',
      "\tat com.acme.Foo.bar(Foo.java:42)",
      "cmd/tool/table.go:5 +0x1d",
    ].join("\n");
    const { stackFrames } = parseMentions(text);
    expect(stackFrames).toEqual(
      expect.arrayContaining([
        { path: "/home/me/app/node_modules/lib/src/index.js", line: 120 },
        { path: "/srv/app/lib/server.py", line: 7 },
        { path: "com/acme/Foo.java", line: 42 },
        { path: "cmd/tool/table.go", line: 5 },
      ]),
    );
  });

  it.each([
    ["a Go frame in the module cache", "\t/root/go/pkg/mod/github.com/spf13/cobra@v1.8.0/command.go:1041 +0x3a5", "/root/go/pkg/mod/github.com/spf13/cobra@v1.8.0/command.go", 1041],
    ["a Go frame of a checkout", "\t/home/runner/work/hugo/hugo/hugolib/site.go:1234 +0x1f", "/home/runner/work/hugo/hugo/hugolib/site.go", 1234],
    ["Ruby's first frame", "/usr/lib/gems/jekyll-4.2.0/lib/jekyll/site.rb:123:in `process': undefined method", "/usr/lib/gems/jekyll-4.2.0/lib/jekyll/site.rb", 123],
    ["a later Ruby frame", "\tfrom /usr/lib/gems/jekyll-4.2.0/lib/jekyll/command.rb:28:in `process_site'", "/usr/lib/gems/jekyll-4.2.0/lib/jekyll/command.rb", 28],
    ["a Ruby frame on Windows", "\tfrom C:/Ruby25-x64/lib/ruby/gems/2.5.0/gems/rack-2.0.5/lib/rack/utils.rb:9:in `x'", "C:/Ruby25-x64/lib/ruby/gems/2.5.0/gems/rack-2.0.5/lib/rack/utils.rb", 9],
    ["a JVM frame with its package", "\tat com.fasterxml.jackson.databind.deser.BeanDeserializer.deserialize(BeanDeserializer.java:197)", "com/fasterxml/jackson/databind/deser/BeanDeserializer.java", 197],
    ["a JVM frame of an inner class", "\tat com.google.gson.internal.bind.TypeAdapters$16.read(TypeAdapters.java:393)", "com/google/gson/internal/bind/TypeAdapters.java", 393],
    ["a JVM frame behind a class loader", "\tat app//org.jsoup.parser.Tokeniser.read(Tokeniser.java:57)", "org/jsoup/parser/Tokeniser.java", 57],
    ["a JVM frame of the default package", "\tat Main.main(Main.java:5)", "Main.java", 5],
  ])("finds %s", (_what, line, path, number) => {
    expect(parseMentions(`Error\n${line}\n`).stackFrames).toEqual([{ path, line: number }]);
  });

  it("finds a JVM frame's file through its package, and falls back to the file name", () => {
    const paths = ["src/main/java/com/acme/io/Reader.java", "src/main/java/com/acme/net/Reader.java"];
    expect(matchPath("com/acme/net/Reader.java", paths)).toEqual(["src/main/java/com/acme/net/Reader.java"]);
    expect(matchPath("java/util/Reader.java", paths)).toEqual(paths);
  });

  it("finds Ruby requires written in the issue", () => {
    expect(parseMentions("```ruby\nrequire 'rack/utils'\nrequire_relative \"lib/site\"\nputs 1\n```").modules).toEqual(["lib/site", "rack/utils"]);
  });

  it("finds frames of scripts without an extension, each frame once, in the order of the trace", () => {
    const text = "TypeError: console.warning is not a function\n    at .../node_modules/less/bin/lessc:485:25\n    at Module._compile (module.js:652:30)\n    at run (/app/lib/cli.js:3:1)";
    expect(parseMentions(text).stackFrames).toEqual([
      { path: ".../node_modules/less/bin/lessc", line: 485 },
      { path: "module.js", line: 652 },
      { path: "/app/lib/cli.js", line: 3 },
    ]);
  });

  it("finds paths, forge links, imported modules and code identifiers, not URLs", () => {
    const text = [
      "The bug is in `src/plugin/duration/index.js` (see https://example.com/docs/page).",
      "Link: https://github.com/acme/lib/blob/main/src/utils.js#L10",
      "```js",
      "import duration from 'lib/plugin/duration'",
      "dayOne.toISOString()",
      "```",
      "Calling formatDate() or snake_case_thing fails.",
    ].join("\n");
    const mentions = parseMentions(text);
    expect(mentions.paths).toEqual(expect.arrayContaining(["src/plugin/duration/index.js", "src/utils.js"]));
    expect(mentions.paths.some((p) => p.includes("example.com"))).toBe(false);
    expect(mentions.modules).toEqual(["lib/plugin/duration"]);
    expect([...mentions.identifiers.keys()]).toEqual(expect.arrayContaining(["toISOString", "formatDate", "snake_case_thing"]));
  });

  it("matches paths by their longest known tail", () => {
    const paths = ["src/index.js", "lib/index.js", "src/plugin/utc/index.js"];
    expect(matchPath("/home/me/project/src/plugin/utc/index.js", paths)).toEqual(["src/plugin/utc/index.js"]);
    expect(matchPath("index.js", paths)).toEqual(paths);
    expect(matchPath("nothing/here.go", paths)).toEqual([]);
  });
});

const file = (path: string, defs: string[] = []) => indexedFile(path, { defs });

describe("mentionScores", () => {
  const files = [
    file("src/index.js", ["format", "parse"]),
    file("src/plugin/duration/index.js", ["toISOString", "format"]),
    file("src/plugin/timezone/index.js", ["tz"]),
    file("src/utils.js", ["pad"]),
    file("lib/rules/no-extra-semi.js", []),
  ];
  const score = (text: string) => mentionScores(files, parseMentions(text), createModuleResolver(files.map((f) => f.path)));

  it("ranks an explicit path above an identifier it defines, with evidence", () => {
    const scores = score("`toISOString` is wrong; the problem is in src/utils.js");
    expect(scores.get("src/utils.js")!.score).toBeGreaterThan(scores.get("src/plugin/duration/index.js")!.score);
    expect(scores.get("src/utils.js")!.details).toContain("path src/utils.js");
    expect(scores.get("src/plugin/duration/index.js")!.details).toContain("defines toISOString");
  });

  it("credits identifiers less when many files define them, and names folders of index files", () => {
    const scores = score("`format` of a `duration`");
    expect(scores.get("src/plugin/duration/index.js")!.details).toEqual(expect.arrayContaining(["defines format", "named duration"]));
    expect(scores.get("src/plugin/duration/index.js")!.score).toBeGreaterThan(scores.get("src/index.js")!.score);
    expect(scores.has("src/utils.js")).toBe(false);
  });

  it("counts a file name written in prose only when it is compound, not a plain word", () => {
    expect(score("the duration is wrong").has("src/plugin/duration/index.js")).toBe(false);
    expect(score("no-extra-semi reports a false positive").get("lib/rules/no-extra-semi.js")!.details).toEqual(["named no-extra-semi"]);
  });

  it("takes a command run from node_modules/.bin for what it is, not a path of the project", () => {
    const files = [indexedFile("bin/terser"), indexedFile("lib/cli.js")];
    const resolver = createModuleResolver(files.map((f) => f.path));
    const scores = mentionScores(files, parseMentions("I ran `node_modules/.bin/terser-cli --compress` and `bin/terser` crashed"), resolver);
    expect(scores.get("bin/terser")!.details.filter((d) => d.startsWith("path"))).toEqual(["path bin/terser"]);
    expect(mentionScores(files, parseMentions("Running node_modules/.bin/terser fails"), resolver).has("bin/terser")).toBe(false);
  });

  it("splits pointers (paths, frames, imports) from names (definitions, file names); together they are the union", () => {
    const mentions = parseMentions("`toISOString` is wrong; the problem is in src/utils.js\n    at Object.<anonymous> (src/utils.js:3:9)\n```\nimport tz from 'lib/plugin/timezone'\n```");
    const resolver = createModuleResolver(files.map((f) => f.path));
    const pointers = pathMentionScores(files, mentions, resolver);
    const names = nameMentionScores(files, mentions);
    expect([...pointers.keys()].sort()).toEqual(["src/plugin/timezone/index.js", "src/utils.js"]);
    expect(pointers.get("src/utils.js")!.details).toEqual(["stack frame src/utils.js:3", "path src/utils.js"]);
    expect(names.get("src/plugin/duration/index.js")!.details).toEqual(["defines toISOString"]);
    expect(names.has("src/utils.js")).toBe(false);
    const union = mentionScores(files, mentions, resolver);
    for (const path of new Set([...pointers.keys(), ...names.keys()])) {
      expect(union.get(path)!.score).toBeCloseTo((pointers.get(path)?.score ?? 0) + (names.get(path)?.score ?? 0));
    }
  });

  it("resolves imported modules", () => {
    expect(score("```\nimport tz from 'lib/plugin/timezone'\n```").get("src/plugin/timezone/index.js")!.details).toContain("imports lib/plugin/timezone");
  });

  it("gives nothing for text without mentions", () => {
    expect(score("it does not work").size).toBe(0);
  });
});
