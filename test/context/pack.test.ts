import { createModuleResolver } from "../../src/context/module-resolver.js";
import { CORE_SHARE, packContext, testsFor } from "../../src/context/pack.js";
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
    const budget = Math.ceil((7 * fileTokens) / CORE_SHARE) + 5;
    const selection = await packContext({ index, ranked: ranked(files, targets), resolver, budget, read });
    const roles = selection.included.map((f) => `${f.role}:${f.path}`);
    expect(roles.slice(0, 5)).toEqual(targets.slice(0, 5).map((p) => `target:${p}`));
    expect(roles.slice(5, 7)).toEqual(["test:test/a.test.js", "test:test/b.test.js"]);
    expect(roles.slice(7)).toEqual(["target:src/f.js"]);
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
  });

  it("lets the best files fill all but 2% of the budget (bluebird's two files of 97% at 16k)", async () => {
    const pair = ranked(files, targets).slice(0, 2);
    const budget = Math.ceil((2 * fileTokens) / 0.97);
    const selection = await packContext({ index, ranked: pair, resolver, budget, read });
    expect(selection.included.filter((f) => f.role === "target").map((f) => f.path)).toEqual(["src/a.js", "src/b.js"]);
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
  });

  it.each([2000, 4000, 16000])("never exceeds a budget of %i tokens, map included", async (budget) => {
    const selection = await packContext({ index, ranked: ranked(files, targets), resolver, budget, read });
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
    expect(selection.included.length).toBeGreaterThan(0);
  });
});

describe("packContext filling a large budget", () => {
  const paths = Array.from({ length: 8 }, (_, i) => `src/m${i}.js`);
  const { index, files, read } = project(paths.map((path) => ({ path, kind: "source" as const, lines: 10 })));
  const resolver = createModuleResolver(files.map((f) => f.path));
  // One clear best file, six weak ones (5% of its score), one negligible (1%).
  const scores = [1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.01];
  const ranking: RankedFile[] = paths.map((path, i) => ({ path, score: scores[i], tokens: files[i].tokens, reasons: [] }));

  it("gives what is left to weaker files whole, down to 2% of the best score, before the map", async () => {
    const selection = await packContext({ index, ranked: ranking, resolver, budget: 32000, read });
    expect(selection.included.map((f) => `${f.role}:${f.path}`)).toEqual(paths.slice(0, 7).map((p) => `target:${p}`));
    expect(selection.repoMap).toContain("src/m7.js");
  });

  it("keeps the weaker files out when only the strong ones fit", async () => {
    const budget = Math.ceil(files[0].tokens / CORE_SHARE) + 40;
    const selection = await packContext({ index, ranked: ranking, resolver, budget, read });
    expect(selection.included.map((f) => f.path)).toEqual(["src/m0.js"]);
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
  });
});

describe("packContext with a file too large for the budget", () => {
  // A 400-line file of 40 functions of 10 lines; function 7 is about "parseWidget".
  const lines: string[] = [];
  const chunks: IndexedFile["chunks"] = [];
  for (let f = 0; f < 40; f++) {
    const start = lines.length + 1;
    const topic = f === 7 ? "parseWidget" : `helper${f}`;
    for (let j = 0; j < 10; j++) lines.push(`  step${j} = ${topic}(state, ${j}); // ${topic} step`);
    chunks.push({ name: topic, line: start, endLine: lines.length, terms: f === 7 ? { parse: 20, widget: 20, step: 10 } : { [`helper${f}`]: 20, step: 10 } });
  }
  const big = lines.join("\n") + "\n";
  const small = "export const x = 1;\n";
  const bigTokens = countTokens(renderFileBlock("src/big.js", "target", big));
  const files: IndexedFile[] = [
    { path: "src/big.js", kind: "source", bytes: big.length, tokens: bigTokens, language: "javascript", pathTerms: [], terms: {}, defs: [], refs: {}, imports: [], chunks },
    { path: "src/small.js", kind: "source", bytes: small.length, tokens: countTokens(renderFileBlock("src/small.js", "target", small)), language: "javascript", pathTerms: [], terms: {}, defs: [], refs: {}, imports: [], chunks: [] },
  ];
  const index: RepoIndex = { files, templatePhrases: [], dropped: {} };
  const read = async (path: string) => (path === "src/big.js" ? big : small);
  const resolver = createModuleResolver(files.map((f) => f.path));
  const budget = Math.floor(bigTokens / 2);
  const task = "parseWidget throws on an empty widget";

  it("includes the parts of it that match the task as an excerpt, and says so in the prompt", async () => {
    const selection = await packContext({ index, ranked: ranked(files, ["src/big.js", "src/small.js"]), resolver, budget, read, task });
    const excerpt = selection.included.find((f) => f.path === "src/big.js")!;
    expect(excerpt.role).toBe("excerpt");
    expect(excerpt.lines).toEqual([[chunks[7].line, chunks[7].endLine]]);
    expect(excerpt.content).toContain(lines[chunks[7].line - 1]);
    expect(excerpt.tokens).toBeLessThanOrEqual(budget * 0.35);
    expect(renderFileBlock(excerpt.path, excerpt.role, excerpt.content)).toMatch(/role="excerpt" note="parts of a large file; open the rest with the view tool's view_range"/);
    expect(selection.included.find((f) => f.path === "src/small.js")?.role).toBe("target");
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
  });

  it("below the best file, gives it only what the whole files leave, the map's share kept", async () => {
    // Three smaller files, one ranked above it and two below, take about 80% of the budget; all stay whole and
    // the excerpt gets the rest.
    const pieceText = (lines[0] + "\n").repeat(Math.floor((0.8 * budget) / 3 / countTokens(lines[0] + "\n")));
    const pieces: IndexedFile[] = Array.from({ length: 3 }, (_, i) => ({ ...files[1], path: `src/p${i}.js`, tokens: countTokens(renderFileBlock(`src/p${i}.js`, "target", pieceText)) }));
    const withPieces: RepoIndex = { ...index, files: [files[0], ...pieces] };
    const readPieces = async (path: string) => (path === "src/big.js" ? big : pieceText);
    const order = ["src/p0.js", "src/big.js", "src/p1.js", "src/p2.js"];
    const selection = await packContext({ index: withPieces, ranked: ranked(withPieces.files, order), resolver, budget, read: readPieces, task });
    expect(selection.included.map((f) => `${f.role}:${f.path}`)).toEqual([...pieces.map((p) => `target:${p.path}`), "excerpt:src/big.js"]);
    const wholeTokens = selection.included.filter((f) => f.role === "target").reduce((sum, f) => sum + f.tokens, 0);
    expect(selection.included.at(-1)!.tokens).toBeLessThanOrEqual(budget * CORE_SHARE - wholeTokens);
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
  });

  it("as the best file, excerpts it before the files ranked below it", async () => {
    const selection = await packContext({ index, ranked: ranked(files, ["src/big.js", "src/small.js"]), resolver, budget, read, task });
    expect(selection.included.map((f) => `${f.role}:${f.path}`)).toEqual(["excerpt:src/big.js", "target:src/small.js"]);
  });

  /** The big file first, then a second file taking `share` of the budget; every function matches "step", so the excerpt fills whatever share it is given. */
  const packWithSecond = (share: number) => {
    const secondText = (lines[0] + "\n").repeat(Math.floor((share * budget) / countTokens(lines[0] + "\n")));
    const second: IndexedFile = { ...files[1], path: "src/second.js", tokens: countTokens(renderFileBlock("src/second.js", "target", secondText)) };
    const withSecond: RepoIndex = { ...index, files: [files[0], second] };
    const readSecond = async (path: string) => (path === "src/big.js" ? big : secondText);
    return packContext({ index: withSecond, ranked: ranked(withSecond.files, ["src/big.js", "src/second.js"]), resolver, budget, read: readSecond, task: "step" });
  };

  it("as the best file, leaves room for the second file whole when the excerpt can still have a tenth of the budget", async () => {
    // The second file takes 70% of the budget: an excerpt of its full share (35%) would keep it out.
    const selection = await packWithSecond(0.7);
    expect(selection.included.map((f) => `${f.role}:${f.path}`)).toEqual(["excerpt:src/big.js", "target:src/second.js"]);
    expect(selection.included[0].tokens).toBeGreaterThanOrEqual(budget * 0.1);
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
  });

  it("as the best file, takes its full share when the second file would leave it less than a tenth", async () => {
    const selection = await packWithSecond(0.9);
    expect(selection.included.map((f) => `${f.role}:${f.path}`)).toEqual(["excerpt:src/big.js"]);
    expect(selection.included[0].tokens).toBeGreaterThan(budget * 0.25);
  });

  it("lists it in the map only when the task is not given", async () => {
    const selection = await packContext({ index, ranked: ranked(files, ["src/big.js", "src/small.js"]), resolver, budget, read });
    expect(selection.included.map((f) => f.path)).toEqual(["src/small.js"]);
    expect(selection.repoMap).toContain("src/big.js");
  });

  it("does not excerpt a file that fits the budget but not what is left of it", async () => {
    // The budget holds the big file alone, but a better-ranked file takes part of it first.
    const roomy = Math.ceil(bigTokens / CORE_SHARE) + 10;
    const middle = lines.slice(0, 300).join("\n") + "\n";
    const other: IndexedFile = { ...files[1], path: "src/other.js", tokens: countTokens(renderFileBlock("src/other.js", "target", middle)) };
    const withOther: RepoIndex = { ...index, files: [...files, other] };
    const readAll = async (path: string) => (path === "src/other.js" ? middle : read(path));
    const selection = await packContext({ index: withOther, ranked: ranked(withOther.files, ["src/other.js", "src/big.js"]), resolver, budget: roomy, read: readAll, task });
    expect(selection.included.map((f) => `${f.role}:${f.path}`)).toEqual(["target:src/other.js"]);
  });
});

describe("testsFor", () => {
  const file = (path: string, kind: IndexedFile["kind"], imports: string[] = [], tokens = 100): IndexedFile => ({
    path, kind, bytes: tokens * 4, tokens, language: "python", pathTerms: [], terms: {}, defs: [], refs: {}, imports, chunks: [],
  });
  // An entry module every test imports (as pytest's tests import src/pytest.py), and one module few tests import.
  const entryUsers = Array.from({ length: 12 }, (_, i) => file(`testing/test_misc${i}.py`, "test", ["pkg"], 50));
  const files = [
    file("pkg/__init__.py", "source"),
    file("pkg/fixtures.py", "source"),
    file("pkg/config.py", "source"),
    ...entryUsers,
    file("testing/test_fixtures.py", "test", ["pkg"], 900),
    file("testing/test_scoping.py", "test", ["pkg", "pkg.fixtures"], 400),
    file("testing/example_scripts/fixtures/conftest.py", "test", ["pkg", "pkg.fixtures"], 30),
    file("testing/test_config.py", "test", ["pkg.config"], 300),
  ];
  const resolver = createModuleResolver(files.map((f) => f.path));

  it.each([
    ["a test named after a target, whatever it imports", ["pkg/fixtures.py"], "testing/test_fixtures.py"],
    ["a test importing a target few tests import", ["pkg/fixtures.py"], "testing/test_scoping.py"],
  ])("takes %s", (_, targets, expected) => {
    expect(testsFor(targets, files, resolver)).toContain(expected);
  });

  it("takes a PHPUnit base test class named after its target (flysystem's FtpAdapterTestCase.php)", () => {
    const php = [file("src/Ftp/FtpAdapter.php", "source"), file("src/Ftp/FtpAdapterTestCase.php", "test"), file("src/Ftp/FtpConnectionTest.php", "test")];
    expect(testsFor(["src/Ftp/FtpAdapter.php"], php, createModuleResolver(php.map((f) => f.path)))).toEqual(["src/Ftp/FtpAdapterTestCase.php"]);
  });

  it("takes a test named only as a test by its folder (date-fns's src/parse/test.js)", () => {
    const colocated = [file("src/parse/index.js", "source"), file("src/parse/test.js", "test"), file("src/format/test.js", "test")];
    expect(testsFor(["src/parse/index.js"], colocated, createModuleResolver(colocated.map((f) => f.path)))).toEqual(["src/parse/test.js"]);
  });

  it("does not take a test for importing an entry module most tests import", () => {
    expect(testsFor(["pkg/__init__.py"], files, resolver)).toEqual([]);
    expect(testsFor(["pkg/fixtures.py", "pkg/__init__.py"], files, resolver).filter((p) => p.includes("test_misc"))).toEqual([]);
  });

  it("puts first, among the tests of one target, the one whose text matches the task", () => {
    const matching = { ...file("testing/test_scoping.py", "test", ["pkg", "pkg.fixtures"], 400), terms: { scope: 12, session: 4, fixture: 3 } };
    const other = { ...file("testing/test_fixtures.py", "test", ["pkg"], 900), terms: { fixture: 30, request: 9 } };
    const withTerms = files.map((f) => (f.path === matching.path ? matching : f.path === other.path ? other : f));
    expect(testsFor(["pkg/fixtures.py"], withTerms, resolver).slice(0, 2)).toEqual(["testing/test_fixtures.py", "testing/test_scoping.py"]);
    expect(testsFor(["pkg/fixtures.py"], withTerms, resolver, "a session scoped fixture is torn down twice").slice(0, 2)).toEqual(["testing/test_scoping.py", "testing/test_fixtures.py"]);
  });

  it("orders by target, then tests before support files, then tests named after the target, then size", () => {
    expect(testsFor(["pkg/fixtures.py", "pkg/config.py"], files, resolver)).toEqual([
      "testing/test_fixtures.py",
      "testing/test_scoping.py",
      "testing/example_scripts/fixtures/conftest.py",
      "testing/test_config.py",
    ]);
  });
});

describe("packContext with a test too large for the tests' share", () => {
  // A 600-line test file; lines 301-330 (one window of a test excerpt) test "parseWidget".
  const testLines = Array.from({ length: 600 }, (_, i) => (i >= 300 && i < 330 ? `  it("parseWidget ${i}", () => check(parseWidget));` : `  it("format ${i}", () => check(format));`));
  const testText = testLines.join("\n") + "\n";
  const sourceText = "export function parseWidget(text) { return text; }\n";
  const smallTest = "import { parseWidget } from '../src/widget';\n";
  const contents = new Map([
    ["src/widget.js", sourceText],
    ["test/widget.test.js", testText],
    ["test/widget-small.test.js", smallTest],
  ]);
  const file = (path: string, kind: IndexedFile["kind"], imports: string[] = []): IndexedFile => ({
    path, kind, bytes: contents.get(path)!.length, tokens: countTokens(renderFileBlock(path, "target", contents.get(path)!)), language: "javascript",
    pathTerms: [], terms: {}, defs: [], refs: {}, imports, chunks: [],
  });
  const files = [file("src/widget.js", "source"), file("test/widget.test.js", "test"), file("test/widget-small.test.js", "test", ["../src/widget"])];
  const index: RepoIndex = { files, templatePhrases: [], dropped: {} };
  const resolver = createModuleResolver(files.map((f) => f.path));
  const read = async (path: string) => contents.get(path);
  const budget = 8000;

  it("includes the parts of it that match the task, marked as a test excerpt, and smaller tests whole", async () => {
    expect(files[1].tokens).toBeGreaterThan(budget * 0.1);
    const selection = await packContext({ index, ranked: ranked(files, ["src/widget.js"]), resolver, budget, read, task: "parseWidget accepts an empty widget" });
    const excerpt = selection.included.find((f) => f.path === "test/widget.test.js")!;
    expect(excerpt.role).toBe("test-excerpt");
    expect(excerpt.lines).toEqual([[301, 330]]);
    expect(renderFileBlock(excerpt.path, excerpt.role, excerpt.content)).toMatch(/role="test-excerpt" note="parts of a large file; open the rest with the view tool's view_range"/);
    expect(selection.included.find((f) => f.path === "test/widget-small.test.js")?.role).toBe("test");
    expect(selection.usedTokens).toBeLessThanOrEqual(budget);
  });

  it("leaves it to the map when the task is not given", async () => {
    const selection = await packContext({ index, ranked: ranked(files, ["src/widget.js"]), resolver, budget, read });
    expect(selection.included.map((f) => `${f.role}:${f.path}`)).toEqual(["target:src/widget.js", "test:test/widget-small.test.js"]);
  });
});
