import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { createTextEditor, textEditorToolDefinition, type TextEditor } from "../../../src/model/tools/index.js";
import { FIXTURE_MAX_FILE_BYTES, FIXTURE_PROTECTED, makeWorkspace } from "./workspace-fixture.js";

describe("the text editor tool", () => {
  let root: string;
  let outside: string;
  let cleanup: () => Promise<void>;
  let editor: TextEditor;

  beforeEach(async () => {
    ({ root, outside, cleanup } = await makeWorkspace());
    editor = createTextEditor({ root, protectedPaths: FIXTURE_PROTECTED, maxFileBytes: FIXTURE_MAX_FILE_BYTES });
  });
  afterEach(async () => {
    await cleanup();
  });

  const read = (relative: string) => readFile(path.join(root, relative), "utf8");

  it("is the Claude 4 text editor tool", () => {
    expect(textEditorToolDefinition()).toMatchObject({ type: "text_editor_20250728", name: "str_replace_based_edit_tool" });
  });

  describe("rejects", () => {
    const cases: [name: string, input: Record<string, unknown>, reason: RegExp][] = [
      ["an absolute path outside the workspace", { command: "view", path: "/etc/passwd" }, /outside the repository/],
      ["an absolute path into the outside directory", { command: "view", path: "/tmp" }, /outside the repository/],
      ["a .. escape", { command: "view", path: "src/../../etc/passwd" }, /may not contain ".."/],
      ["a .. escape under /workspace", { command: "create", path: "/workspace/../x", file_text: "x" }, /may not contain ".."/],
      ["a harmless-looking .. inside the tree", { command: "view", path: "src/../README.md" }, /may not contain ".."/],
      ["a path with a backslash", { command: "view", path: "src\\a.ts" }, /forward slashes/],
      ["a path with a NUL byte", { command: "view", path: "src/a.ts\u0000.png" }, /NUL/],
      ["an empty path", { command: "view", path: "" }, /path is required/],
      ["a missing path", { command: "view" }, /Invalid input/],
      ["reading .git", { command: "view", path: ".git/config" }, /\.git/],
      ["listing .git", { command: "view", path: ".git" }, /\.git/],
      ["writing .git under another case", { command: "create", path: ".GIT/hooks/pre-commit", file_text: "x" }, /\.git/],
      ["writing a nested .git", { command: "create", path: "vendor/lib/.git/config", file_text: "x" }, /\.git/],
      ["writing .git with a trailing dot", { command: "create", path: ".git./config", file_text: "x" }, /\.git/],
      ["a protected file (view)", { command: "view", path: "secrets/key.pem" }, /protected path/],
      ["a protected directory (view)", { command: "view", path: "secrets" }, /protected path/],
      ["a protected file (str_replace)", { command: "str_replace", path: "config/prod.env", old_str: "call-me", new_str: "x" }, /protected path/],
      ["creating a file under a protected glob", { command: "create", path: "secrets/new.pem", file_text: "x" }, /protected path/],
      ["creating a workflow", { command: "create", path: ".github/workflows/evil.yml", file_text: "on: push" }, /workflow/],
      ["editing a workflow", { command: "str_replace", path: ".github/workflows/ci.yml", old_str: "push", new_str: "pull_request" }, /workflow/],
      ["editing a workflow with odd case", { command: "create", path: ".GitHub/Workflows/ci.yml", file_text: "x" }, /workflow/],
      ["writing .gitmodules", { command: "create", path: ".gitmodules", file_text: "[submodule]" }, /\.gitmodules/],
      ["writing a nested .gitattributes", { command: "create", path: "src/.gitattributes", file_text: "* export-ignore" }, /\.gitattributes/],
      ["a symlinked directory on the way", { command: "view", path: "outside-link/secret.txt" }, /symbolic link/],
      ["writing through a symlinked directory", { command: "create", path: "outside-link/planted.txt", file_text: "x" }, /symbolic link/],
      ["viewing a symlink to a file inside", { command: "view", path: "src/readme-link.md" }, /symbolic link/],
      ["viewing a symlink to a file outside", { command: "view", path: "src/secret-link.txt" }, /symbolic link/],
      ["editing through a symlink", { command: "str_replace", path: "src/secret-link.txt", old_str: "outside", new_str: "x" }, /symbolic link/],
      ["overwriting a symlink with create", { command: "create", path: "src/secret-link.txt", file_text: "x" }, /symbolic link/],
      ["inserting through a symlink", { command: "insert", path: "src/readme-link.md", insert_line: 0, insert_text: "x" }, /symbolic link/],
      ["a FIFO", { command: "view", path: "pipe" }, /not a regular file/],
      ["writing over a FIFO", { command: "create", path: "pipe", file_text: "x" }, /not a regular file/],
      ["creating over a directory", { command: "create", path: "src", file_text: "x" }, /not a regular file/],
      ["creating below a file", { command: "create", path: "src/a.ts/child.ts", file_text: "x" }, /not a directory/],
      ["the repository root as a file", { command: "create", path: "/workspace", file_text: "x" }, /root is a directory/],
      ["a binary file", { command: "view", path: "bin.dat" }, /binary/],
      ["a file that is not UTF-8", { command: "view", path: "latin1.txt" }, /not UTF-8/],
      ["a file over the size cap", { command: "view", path: "big.txt" }, /over the 4096-byte limit/],
      ["content over the size cap", { command: "create", path: "huge.txt", file_text: "x".repeat(FIXTURE_MAX_FILE_BYTES + 1) }, /over the 4096-byte limit/],
      ["an edit that grows a file over the cap", { command: "str_replace", path: "src/a.ts", old_str: "const a = 1;", new_str: "x".repeat(FIXTURE_MAX_FILE_BYTES) }, /over the 4096-byte limit/],
      ["writing a file with several hard links", { command: "str_replace", path: "src/hardlinked.ts", old_str: "1", new_str: "2" }, /hard links/],
      ["a missing file (view)", { command: "view", path: "src/nope.ts" }, /does not exist.*create/],
      ["a missing file (str_replace)", { command: "str_replace", path: "src/nope.ts", old_str: "a", new_str: "b" }, /does not exist/],
      ["undo_edit", { command: "undo_edit", path: "src/a.ts" }, /undo_edit is not supported/],
      ["an unknown command", { command: "delete", path: "src/a.ts" }, /Invalid input.*Commands: view, create, str_replace, insert/],
      ["str_replace with an empty old_str", { command: "str_replace", path: "src/a.ts", old_str: "", new_str: "x" }, /old_str is empty/],
      ["str_replace with no match", { command: "str_replace", path: "src/a.ts", old_str: "const c = 3;", new_str: "x" }, /did not appear verbatim/],
      ["str_replace with two matches", { command: "str_replace", path: "src/dup.ts", old_str: "call();", new_str: "x" }, /appears 2 times in src\/dup\.ts \(lines 1, 2\)/],
      ["a view_range past the end", { command: "view", path: "src/a.ts", view_range: [2, 9] }, /has 3 lines/],
      ["a view_range on a directory", { command: "view", path: "src", view_range: [1, 2] }, /files only/],
      ["insert past the end", { command: "insert", path: "src/a.ts", insert_line: 4, insert_text: "x" }, /use 0 .* to 3/],
      ["insert without text", { command: "insert", path: "src/a.ts", insert_line: 1 }, /needs insert_text/],
    ];

    it.each(cases)("%s", async (_name, input, reason) => {
      const before = await snapshot(root);
      const outsideBefore = await snapshot(outside);
      const result = await editor.execute(input);
      expect(result.isError).toBe(true);
      expect(result.content).toMatch(reason);
      expect(await snapshot(root)).toEqual(before);
      expect(await snapshot(outside)).toEqual(outsideBefore);
      expect(editor.changedPaths()).toEqual([]);
    });

    it("never leaks the host path of the clone", async () => {
      for (const [, input] of cases) {
        const result = await editor.execute(input);
        expect(result.content).not.toContain(root);
      }
    });
  });

  describe("view", () => {
    it("shows a file with line numbers", async () => {
      const result = await editor.execute({ command: "view", path: "src/a.ts" });
      expect(result).toEqual({
        isError: false,
        content: "Here's the result of running `cat -n` on src/a.ts:\n     1\tconst a = 1;\n     2\tconst b = 2;\n     3\texport { a, b };",
      });
    });

    it("accepts /workspace paths and ./ prefixes", async () => {
      const a = await editor.execute({ command: "view", path: "/workspace/src/a.ts" });
      const b = await editor.execute({ command: "view", path: "./src/a.ts" });
      expect(a.isError).toBe(false);
      expect(b.content).toBe(a.content);
    });

    it.each([
      [[2, 2], "     2\tconst b = 2;"],
      [[2, -1], "     2\tconst b = 2;\n     3\texport { a, b };"],
    ])("shows view_range %j", async (range, body) => {
      const result = await editor.execute({ command: "view", path: "src/a.ts", view_range: range });
      expect(result.content.split("\n").slice(1).join("\n")).toBe(body);
    });

    it("truncates long output and says how to see the rest", async () => {
      const small = createTextEditor({ root, maxViewCharacters: 30 });
      const result = await small.execute({ command: "view", path: "src/a.ts" });
      expect(result.content).toContain("     1\tconst a = 1;");
      expect(result.content).toMatch(/truncated after line \d of 3; view the rest with view_range \[\d, 3\]/);
    });

    it("shows an empty file", async () => {
      const result = await editor.execute({ command: "view", path: "src/empty.ts" });
      expect(result.isError).toBe(false);
    });

    it("lists a directory two levels deep without .git, node_modules, protected paths or links followed", async () => {
      const result = await editor.execute({ command: "view", path: "/workspace" });
      expect(result.isError).toBe(false);
      const lines = result.content.split("\n").slice(1);
      expect(lines).toEqual(
        expect.arrayContaining([".github/", ".github/workflows/", "README.md", "src/", "src/a.ts", "src/nested/", "config/", "outside-link (symbolic link, not followed)"]),
      );
      expect(lines).not.toContain("src/nested/deep/");
      expect(lines.join("\n")).not.toMatch(/\.git\/|node_modules|secrets|prod\.env/);
    });
  });

  describe("edits", () => {
    it("creates a new file in new directories and records it", async () => {
      const result = await editor.execute({ command: "create", path: "src/new/dir/util.ts", file_text: "export const x = 1;\n" });
      expect(result).toEqual({ isError: false, content: "File created successfully at: src/new/dir/util.ts" });
      expect(await read("src/new/dir/util.ts")).toBe("export const x = 1;\n");
      expect(editor.changedPaths()).toEqual(["src/new/dir/util.ts"]);
    });

    it("overwrites an existing file with create and keeps its mode", async () => {
      const before = await stat(path.join(root, "README.md"));
      const result = await editor.execute({ command: "create", path: "README.md", file_text: "# New\n" });
      expect(result.content).toBe("File README.md overwritten.");
      expect(await read("README.md")).toBe("# New\n");
      expect((await stat(path.join(root, "README.md"))).mode).toBe(before.mode);
    });

    it("allows workflow changes when the repository allows them", async () => {
      const permissive = createTextEditor({ root, allowWorkflowChanges: true });
      const result = await permissive.execute({ command: "str_replace", path: ".github/workflows/ci.yml", old_str: "push", new_str: "pull_request" });
      expect(result.isError).toBe(false);
      expect(await read(".github/workflows/ci.yml")).toBe("on: pull_request\n");
    });

    it("replaces exactly one match and shows the edited lines", async () => {
      const result = await editor.execute({ command: "str_replace", path: "src/a.ts", old_str: "const b = 2;", new_str: "const b = 3;\nconst c = 4;" });
      expect(result.isError).toBe(false);
      expect(result.content).toContain("The file src/a.ts has been edited.");
      expect(result.content).toContain("     3\tconst c = 4;");
      expect(await read("src/a.ts")).toBe("const a = 1;\nconst b = 3;\nconst c = 4;\nexport { a, b };\n");
      expect(editor.changedPaths()).toEqual(["src/a.ts"]);
    });

    it("deletes text when new_str is omitted", async () => {
      await editor.execute({ command: "str_replace", path: "src/a.ts", old_str: "const b = 2;\n" });
      expect(await read("src/a.ts")).toBe("const a = 1;\nexport { a, b };\n");
    });

    it("matches \\n against CRLF files and keeps CRLF", async () => {
      const result = await editor.execute({ command: "str_replace", path: "src/crlf.txt", old_str: "one\ntwo", new_str: "uno\ndos" });
      expect(result.isError).toBe(false);
      expect(await readFile(path.join(root, "src/crlf.txt"), "utf8")).toBe("uno\r\ndos\r\nthree\r\n");
    });

    it.each([
      [0, "// header\nconst a = 1;\nconst b = 2;\nexport { a, b };\n"],
      [1, "const a = 1;\n// header\nconst b = 2;\nexport { a, b };\n"],
      [3, "const a = 1;\nconst b = 2;\nexport { a, b };\n// header\n"],
    ])("inserts after line %d", async (line, expected) => {
      const result = await editor.execute({ command: "insert", path: "src/a.ts", insert_line: line, insert_text: "// header" });
      expect(result.isError).toBe(false);
      expect(await read("src/a.ts")).toBe(expected);
    });

    it("inserts into an empty file and accepts new_str as the text", async () => {
      await editor.execute({ command: "insert", path: "src/empty.ts", insert_line: 0, new_str: "a\nb\n" });
      expect(await read("src/empty.ts")).toBe("a\nb\n");
    });

    it("inserts with CRLF endings into a CRLF file", async () => {
      await editor.execute({ command: "insert", path: "src/crlf.txt", insert_line: 1, insert_text: "one and a half" });
      expect(await read("src/crlf.txt")).toBe("one\r\none and a half\r\ntwo\r\nthree\r\n");
    });

    it("inserts after a last line without a newline", async () => {
      await editor.execute({ command: "create", path: "src/no-eol.ts", file_text: "a\nb" });
      await editor.execute({ command: "insert", path: "src/no-eol.ts", insert_line: 2, insert_text: "c" });
      expect(await read("src/no-eol.ts")).toBe("a\nb\nc\n");
    });
  });
});

/** Every path under a directory (not following links) with its content or link target. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, full);
    if (entry.isFile()) out[relative] = await readFile(full, "latin1");
    else out[relative] = entry.isSymbolicLink() ? "link" : entry.isDirectory() ? "dir" : "other";
  }
  return out;
}
