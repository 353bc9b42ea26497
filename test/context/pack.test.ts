import { createModuleResolver } from "../../src/context/module-resolver.js";
import { packContext } from "../../src/context/pack.js";
import { renderFileBlock } from "../../src/context/prompt-format.js";
import type { IndexedFile, RepoIndex } from "../../src/context/repo-index.js";
import { countTokens } from "../../src/context/token-count.js";
import type { RankedFile } from "../../src/context/types.js";

/** Files of about `lines` lines each; contents are what `read` returns and what the tokens are counted over. */
function project(spec: { path: string; kind: IndexedFile["kind"]; lines: number; imports?: string[] }[]) {
  const contents = new Map(spec.map((s) => [s.path, Array.from({ length: s.lines }, (_, i) => `export const value${i} = compute(${i}, "${s.path}")`).join("\n") + "\n"]));
  const files: IndexedFile[] = spec.map((s) => ({
    path: s.path,
    kind: s.kind,
    bytes: contents.get(s.path)!.length,
    tokens: countTokens(renderFileBlock(s.path, "target", contents.get(s.path)!)),
    language: "javascript",
    pathTerms: [],
    terms: {},
    defs: [],
    refs: {},
    imports: s.imports ?? [],
    chunks: [],
  }));
  const index: RepoIndex = { files, templatePhrases: [], dropped: {} };
  return { index, files, read: async (path: string) => contents.get(path) };
}

const ranked = (files: IndexedFile[], order: string[]): RankedFile[] =>
  order.map((path, i) => ({ path, score: 1 - i * 0.05, tokens: files.find((f) => f.path === path)!.tokens, reasons: [] }));

describe("packContext", () => {
  const targets = ["src/a.js", "src/b.js", "src/c.js", "src/d.js", "src/e.js", "src/f.js", "src/g.js"];
  const { index, files, read } = project([
    ...targets.map((path) => ({ path, kind: "source" as const, lines: 20 })),
    { path: "test/a.test.js", kind: "test", lines: 5, imports: ["../src/a"] },
    { path: "test/b.test.js", kind: "test", lines: 5, imports: ["../src/b"] },
  ]);
  const resolver = createModuleResolver(files.map((f) => f.path));
  const fileTokens = files.find((f) => f.path === "src/a.js")!.tokens;

  it("includes the five best targets before any test, then tests, then fills what is left with further targets", async () => {
    // Room for about seven targets: the five best, the two (small) tests, and one more target.
    const budget = Math.ceil((7 * fileTokens) / 0.95) + 5;
    const selection = await packContext({ index, ranked: ranked(files, targets), resolver, budget, read });
    const roles = selection.included.map((f) => `${f.role}:${f.path}`);
    expect(roles.slice(0, 5)).toEqual(targets.slice(0, 5).map((p) => `target:${p}`));
    expect(roles.slice(5, 7)).toEqual(["test:test/a.test.js", "test:test/b.test.js"]);
    expect(roles.slice(7)).toEqual(["target:src/f.js"]);
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
  });

  it.each([2000, 4000, 16000])("never exceeds a budget of %i tokens, map included", async (budget) => {
    const selection = await packContext({ index, ranked: ranked(files, targets), resolver, budget, read });
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
    expect(selection.included.length).toBeGreaterThan(0);
  });
});
