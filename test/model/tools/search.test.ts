import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createSearch, createWorkspaceTools, searchToolDefinition, type Search } from "../../../src/model/tools/index.js";
import { FIXTURE_MAX_FILE_BYTES, FIXTURE_PROTECTED, makeWorkspace } from "./workspace-fixture.js";

describe("the search tool", () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let search: Search;

  beforeAll(async () => {
    ({ root, cleanup } = await makeWorkspace());
    search = createSearch({ root, protectedPaths: FIXTURE_PROTECTED, maxFileBytes: FIXTURE_MAX_FILE_BYTES });
  });
  afterAll(async () => {
    await cleanup();
  });

  const lines = async (input: Record<string, unknown>) => {
    const result = await search.execute(input);
    expect(result.isError).toBe(false);
    return result.content.split("\n");
  };

  it("has a JSON schema the API accepts", () => {
    const definition = searchToolDefinition();
    expect(definition.name).toBe("search");
    expect(definition.input_schema.type).toBe("object");
    expect(definition.input_schema.required).toEqual(["pattern"]);
  });

  it("finds a literal string as path:line: text, skipping .git, node_modules, binary, large, protected files and links", async () => {
    expect(await lines({ pattern: "call" })).toEqual([
      "src/dup.ts:1: call();",
      "src/dup.ts:2: call();",
      "[3 binary, non-UTF-8 or oversized files were not searched.]",
    ]);
  });

  it("treats regex metacharacters literally by default", async () => {
    expect(await lines({ pattern: "call()" })).toEqual(["src/dup.ts:1: call();", "src/dup.ts:2: call();", "[3 binary, non-UTF-8 or oversized files were not searched.]"]);
    expect((await search.execute({ pattern: "c.ll" })).content).toMatch(/^No matches for "c\.ll" in the repository\./);
  });

  it("searches with a regular expression", async () => {
    expect(await lines({ pattern: "^const [ab] = \\d;$", regex: true, path: "src" })).toEqual(["src/a.ts:1: const a = 1;", "src/a.ts:2: const b = 2;"]);
  });

  it("can ignore case", async () => {
    expect(await lines({ pattern: "DEMO", case_sensitive: false, glob: "*.md" })).toEqual(["README.md:1: # Demo", "README.md:3: A demo repository."]);
  });

  it.each([
    [{ pattern: "export", glob: "*.ts" }, ["src/a.ts:3: export { a, b };", "src/shared.ts:1: export const shared = 1;", "src/hardlinked.ts:1: export const shared = 1;", "src/nested/deep/deeper/file.ts:1: export const deep = true;"]],
    [{ pattern: "export", glob: "src/nested/**" }, ["src/nested/deep/deeper/file.ts:1: export const deep = true;"]],
    [{ pattern: "export", path: "src/nested" }, ["src/nested/deep/deeper/file.ts:1: export const deep = true;"]],
    [{ pattern: "export", path: "/workspace/src/a.ts" }, ["src/a.ts:3: export { a, b };"]],
  ])("narrows by path and glob: %j", async (input, expected) => {
    expect((await lines(input)).sort()).toEqual([...expected].sort());
  });

  it("caps the number of results and says so", async () => {
    const many = Array.from({ length: 30 }, (_, i) => `needle ${i}`).join("\n");
    await writeFile(path.join(root, "many.txt"), many);
    const result = await search.execute({ pattern: "needle", max_results: 5 });
    const out = result.content.split("\n");
    expect(out.slice(0, 5)).toEqual(["many.txt:1: needle 0", "many.txt:2: needle 1", "many.txt:3: needle 2", "many.txt:4: needle 3", "many.txt:5: needle 4"]);
    expect(out[5]).toBe("[Showing 5 of 30 matching lines; narrow the search with path or glob.]");
  });

  it("cuts very long lines", async () => {
    await writeFile(path.join(root, "long.txt"), `marker ${"x".repeat(1000)}\n`);
    const [line] = await lines({ pattern: "marker", path: "long.txt" });
    expect(line.length).toBeLessThan(340);
    expect(line.endsWith("…")).toBe(true);
  });

  it.each([
    [{ pattern: "x", path: "/etc" }, /outside the repository/],
    [{ pattern: "x", path: "../" }, /may not contain/],
    [{ pattern: "x", path: ".git" }, /\.git/],
    [{ pattern: "x", path: "secrets" }, /protected path/],
    [{ pattern: "x", path: "outside-link" }, /symbolic link/],
    [{ pattern: "x", path: "nope" }, /does not exist/],
    [{ pattern: "(", regex: true }, /Invalid regular expression/],
    [{ pattern: "" }, /Invalid input/],
    [{ pattern: "x", max_results: 10_000 }, /Invalid input/],
  ])("rejects %j", async (input, reason) => {
    const result = await search.execute(input);
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(reason);
  });

  it("stops a catastrophic regular expression in bounded time", async () => {
    await writeFile(path.join(root, "redos.txt"), `${"a".repeat(40)}!\n`);
    const bounded = createSearch({ root, timeoutMs: 300 });
    const started = Date.now();
    const result = await bounded.execute({ pattern: "^(a+)+$", regex: true, path: "redos.txt" });
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/took longer than 0.3 s/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("is reachable through the workspace tools, which leave run_tests to the caller", async () => {
    const tools = createWorkspaceTools({ root });
    expect((await tools.execute("search", { pattern: "Demo", path: "README.md" }))?.content).toBe("README.md:1: # Demo");
    expect(await tools.execute("run_tests", {})).toBeUndefined();
    await tools.execute("str_replace_based_edit_tool", { command: "create", path: "added.txt", file_text: "hi\n" });
    expect(tools.changedPaths()).toEqual(["added.txt"]);
  });
});
