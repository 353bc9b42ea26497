import { fitInstructions, INSTRUCTION_FILES, loadInstructions, renderInstructions } from "../../src/context/instructions.js";
import { countTokens } from "../../src/context/token-count.js";
import { ConfigurationError } from "../../src/errors/index.js";

/** A default branch holding `files`; records what was asked for. */
function branch(files: Record<string, string>) {
  const asked: string[] = [];
  const read = async (path: string) => {
    asked.push(path);
    return files[path] ?? null;
  };
  return { read, asked };
}

describe("loadInstructions", () => {
  test.each([
    ["AGENTS.md first", { "AGENTS.md": "Use pnpm.", "CLAUDE.md": "Use yarn." }, "AGENTS.md", "Use pnpm."],
    ["CLAUDE.md when there is no AGENTS.md", { "CLAUDE.md": "Use yarn." }, "CLAUDE.md", "Use yarn."],
    ["Copilot's file last", { ".github/copilot-instructions.md": "Tabs." }, ".github/copilot-instructions.md", "Tabs."],
    ["an empty AGENTS.md is skipped", { "AGENTS.md": " \n", "CLAUDE.md": "Use yarn." }, "CLAUDE.md", "Use yarn."],
  ])("takes %s", async (_name, files, path, text) => {
    const instructions = await loadInstructions(branch(files).read);
    expect(instructions).toMatchObject({ path, text, truncated: false });
    expect(instructions!.tokens).toBe(countTokens(renderInstructions({ path, text })));
  });

  test("none when the repository has none", async () => {
    const { read, asked } = branch({ "README.md": "hello" });
    expect(await loadInstructions(read)).toBeUndefined();
    expect(asked).toEqual([...INSTRUCTION_FILES]);
  });

  test("a configured file replaces the usual ones", async () => {
    const { read, asked } = branch({ "AGENTS.md": "Use pnpm.", "docs/bot.md": "Run make check." });
    expect(await loadInstructions(read, { configured: "docs/bot.md" })).toMatchObject({ path: "docs/bot.md", text: "Run make check." });
    expect(asked).toEqual(["docs/bot.md"]);
  });

  test("false turns them off without reading anything", async () => {
    const { read, asked } = branch({ "AGENTS.md": "Use pnpm." });
    expect(await loadInstructions(read, { configured: false })).toBeUndefined();
    expect(asked).toEqual([]);
  });

  test("protected paths are never read", async () => {
    const { read, asked } = branch({ "AGENTS.md": "secret", "CLAUDE.md": "Use yarn." });
    expect(await loadInstructions(read, { protectedPaths: ["AGENTS.md"] })).toMatchObject({ path: "CLAUDE.md" });
    expect(asked).not.toContain("AGENTS.md");
  });

  test.each([
    ["missing", {}, { configured: "docs/bot.md" }, "missing or empty on the default branch"],
    ["protected", { "docs/bot.md": "x" }, { configured: "docs/bot.md", protectedPaths: ["docs/**"] }, "protected path"],
  ])("a configured file that is %s is a setting to fix", async (_name, files, options, message) => {
    const error = await loadInstructions(branch(files).read, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toContain(message);
    expect((error as ConfigurationError).issues[0]!.key).toBe("instructions");
  });
});

describe("fitInstructions", () => {
  test("a file within the limit is kept whole, line endings normalised", () => {
    expect(fitInstructions("AGENTS.md", "a\r\nb\r\n", 100)).toEqual({ path: "AGENTS.md", text: "a\nb", tokens: countTokens(renderInstructions({ path: "AGENTS.md", text: "a\nb" })), truncated: false });
  });

  test("a longer file is cut at a line, within the limit, and says where the rest is", () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `- rule ${i}: keep the public API of module ${i} stable`);
    const fitted = fitInstructions("AGENTS.md", lines.join("\n"), 500);
    expect(fitted.truncated).toBe(true);
    expect(fitted.tokens).toBeLessThanOrEqual(500);
    expect(fitted.tokens).toBeGreaterThan(400);
    expect(fitted.text.startsWith("- rule 0: ")).toBe(true);
    expect(fitted.text).toMatch(/\[… the rest of AGENTS\.md is not shown here/);
    // Whole lines only, in order.
    const kept = fitted.text.split("\n").slice(0, -1);
    expect(kept).toEqual(lines.slice(0, kept.length));
  });
});
