import { DISCUSSION_SHARE, diversify, FOCUS_FULL_FILES, focusScores, rankFiles, SIBLING_FACTOR, titleOf } from "../../src/context/rank.js";
import type { RepoIndex } from "../../src/context/repo-index.js";
import type { RankedFile } from "../../src/context/types.js";
import { indexedFile } from "../support/indexed-file.js";

const ranked = (entries: [string, number][]): RankedFile[] => entries.map(([path, score]) => ({ path, score, tokens: 10, reasons: [{ signal: "bm25", score }] }));

describe("diversify", () => {
  it.each<[string, [string, number][], string[]]>([
    [
      "a shared helper passes the third and fourth near-identical rule",
      [["src/rules/a/index.js", 1], ["src/rules/b/index.js", 0.99], ["src/rules/c/index.js", 0.98], ["src/utils/helper.js", 0.95]],
      ["src/rules/a/index.js", "src/utils/helper.js", "src/rules/b/index.js", "src/rules/c/index.js"],
    ],
    [
      "files of different folders keep their order",
      [["src/a.js", 1], ["lib/b.js", 0.99], ["test/c.js", 0.98]],
      ["src/a.js", "lib/b.js", "test/c.js"],
    ],
    [
      "a clear lead of siblings survives the penalty",
      [["src/locale/de.js", 1], ["src/locale/fr.js", 0.98], ["src/other.js", 0.5]],
      ["src/locale/de.js", "src/locale/fr.js", "src/other.js"],
    ],
  ])("%s", (_name, input, order) => {
    expect(diversify(ranked(input)).map((f) => f.path)).toEqual(order);
  });

  it("says what it did to a file's score", () => {
    const [, second] = diversify(ranked([["src/x/a.js", 1], ["src/x/b.js", 0.9]]));
    expect(second.score).toBeCloseTo(0.9 * SIBLING_FACTOR, 4);
    expect(second.reasons.at(-1)).toEqual({ signal: "siblings", score: SIBLING_FACTOR, detail: "1 file of the same folder ranks above" });
  });
});

describe("titleOf", () => {
  it.each<[string, string, string | undefined]>([
    ["the first line of an issue", "Duration loses seconds\nWhen I format a duration...", "Duration loses seconds"],
    ["blank lines and spaces before it", "\n\n   toISOString prints too many digits  \nbody", "toISOString prints too many digits"],
    ["a title of one word says too little", "Bug\nThe parser crashes on empty input", undefined],
    ["nor does a title of stopwords", "It is not a\nThe parser crashes", undefined],
    ["an empty task", "", undefined],
  ])("%s", (_name, text, title) => {
    expect(titleOf(text)).toBe(title);
  });
});

describe("rankFiles: the title as a field of its own", () => {
  const index: RepoIndex = {
    files: [
      indexedFile("src/duration.js", { terms: { duration: 3, seconds: 2, value: 4 } }),
      indexedFile("src/format.js", { terms: { format: 5, locale: 3, output: 2, value: 4 } }),
      indexedFile("src/parse.js", { terms: { parse: 4, input: 2, value: 4 } }),
      indexedFile("src/util.js", { terms: { helper: 2, value: 4 } }),
    ],
    templatePhrases: [],
    dropped: {},
  };
  // The body talks about formatting (how the user saw the bug); the title names what is broken.
  const issue = "Duration loses seconds\nWhen I format the output with a locale, the format output and the locale output look wrong.";

  it("ranks the file the title is about above the file the body talks most about", () => {
    const ranked = rankFiles(index, issue).files;
    expect(ranked[0].path).toBe("src/duration.js");
    expect(ranked[0].reasons.map((r) => r.signal)).toContain("title");
    expect(rankFiles(index, issue, { weights: { title: 0 } }).files[0].path).toBe("src/format.js");
  });

  it("adds nothing for a title too short to search for", () => {
    const ranked = rankFiles(index, "Bug\nWhen I format the output with a locale, duration seconds look wrong.").files;
    expect(ranked.flatMap((f) => f.reasons.map((r) => r.signal))).not.toContain("title");
  });
});

describe("focusScores", () => {
  const candidates = new Set(["a.js", "b.js", "docs/a.md"]);
  it.each<[string, string[], [string, number][]]>([
    ["no pull request", [], []],
    ["each candidate scores 1", ["a.js", "docs/a.md"], [["a.js", 1], ["docs/a.md", 1]]],
    ["files that are not candidates (removed, protected, generated) score nothing", ["a.js", "dist/a.min.js", "secret.env"], [["a.js", 1]]],
    ["a path listed twice counts once", ["b.js", "b.js"], [["b.js", 1]]],
  ])("%s", (_, focus, expected) => {
    expect([...focusScores(focus, candidates)].map(([path, entry]) => [path, entry.score])).toEqual(expected);
  });

  it("spreads the same total over a pull request larger than FOCUS_FULL_FILES", () => {
    const many = Array.from({ length: FOCUS_FULL_FILES * 4 }, (_, i) => `src/f${i}.js`);
    const scores = focusScores(many, new Set(many));
    expect(scores.size).toBe(many.length);
    expect(scores.get("src/f0.js")!.score).toBeCloseTo(0.25);
    expect(scores.get("src/f0.js")!.details).toEqual(["changed by the pull request"]);
  });

  it("says why the files rank first in the caller's words (the CLI's --base and --focus)", () => {
    expect(focusScores(["a.js"], new Set(["a.js"]), "changed since main").get("a.js")!.details).toEqual(["changed since main"]);
  });
});

describe("rankFiles: a pull request's files", () => {
  const index: RepoIndex = {
    files: [
      indexedFile("src/greet.js", { defs: ["greet"], terms: { greet: 3, name: 2 }, imports: ["./names.js"] }),
      indexedFile("src/names.js", { defs: ["shout"], terms: { shout: 2, name: 4 } }),
      indexedFile("src/empty.js", { terms: { empty: 6, handle: 4, case: 3 } }),
      { ...indexedFile("docs/greeting.md", { terms: { greeting: 2 } }), kind: "docs" as const },
    ],
    templatePhrases: [],
    dropped: {},
  };
  // A follow-up on the pull request says what to do, not where: its words point at another file.
  const followUp = "also handle the empty case";

  it("ranks the files the pull request changes first, whatever words the follow-up uses, pages included", () => {
    expect(rankFiles(index, followUp).files[0].path).toBe("src/empty.js");
    const ranked = rankFiles(index, followUp, { focus: ["src/greet.js", "docs/greeting.md"] }).files;
    expect(ranked.slice(0, 2).map((f) => f.path).sort()).toEqual(["docs/greeting.md", "src/greet.js"]);
    const reason = ranked.find((f) => f.path === "src/greet.js")!.reasons.find((r) => r.signal === "pull-request");
    expect(reason).toEqual({ signal: "pull-request", score: 1.5, detail: "changed by the pull request" });
  });

  it("still ranks a file the follow-up names by its path among them", () => {
    const ranked = rankFiles(index, "also handle the empty case in src/empty.js", { focus: ["src/greet.js", "docs/greeting.md"] }).files;
    expect(ranked[0].path).toBe("src/empty.js");
    expect(ranked.slice(1, 3).map((f) => f.path).sort()).toEqual(["docs/greeting.md", "src/greet.js"]);
  });

  it("seeds the code graph: the module a changed file imports is lifted", () => {
    const without = rankFiles(index, followUp).files.find((f) => f.path === "src/names.js");
    const withFocus = rankFiles(index, followUp, { focus: ["src/greet.js"] }).files.find((f) => f.path === "src/names.js");
    expect(withFocus?.reasons.map((r) => r.signal)).toContain("code-graph");
    expect(withFocus!.score).toBeGreaterThan(without?.score ?? 0);
  });

  it("changes nothing when the weight is 0", () => {
    expect(rankFiles(index, followUp, { focus: ["src/greet.js"], weights: { "pull-request": 0 } }).files).toEqual(rankFiles(index, followUp).files);
  });
});

describe("rankFiles: the files a comment points at", () => {
  const index: RepoIndex = {
    files: [
      indexedFile("src/render.js", { terms: { render: 5, output: 3, page: 2 } }),
      indexedFile("src/cache.js", { terms: { cache: 4, store: 2 } }),
      indexedFile("src/router.js", { terms: { route: 4, path: 2 } }),
    ],
    templatePhrases: [],
    dropped: {},
  };
  const issue = "Rendering the page gives stale output";
  const mentionOf = (ranked: ReturnType<typeof rankFiles>, path: string) => ranked.files.find((f) => f.path === path)?.reasons.find((r) => r.signal === "mentions");

  it("lifts a file a comment names by path, and says it was a comment", () => {
    const ranked = rankFiles(index, issue, { discussion: "I think the bug is in src/cache.js, it never expires." });
    expect(mentionOf(ranked, "src/cache.js")?.detail).toBe("in a comment: path src/cache.js");
    // Nothing in the issue's words leads to it; the comment's path puts it second, after the file the words describe.
    expect(rankFiles(index, issue).files.map((f) => f.path)).not.toContain("src/cache.js");
    expect(ranked.files.map((f) => f.path).slice(0, 2)).toEqual(["src/render.js", "src/cache.js"]);
  });

  it("counts a comment's path at DISCUSSION_SHARE of the same path in the task", () => {
    const fromComment = mentionOf(rankFiles(index, issue, { discussion: "see src/cache.js" }), "src/cache.js")!.score;
    const fromTask = mentionOf(rankFiles(index, `${issue}\nsee src/cache.js`), "src/cache.js")!.score;
    // Saturating: 1 - exp(-3 * share / 1.5) against 1 - exp(-3 / 1.5).
    expect(fromComment / fromTask).toBeCloseTo((1 - Math.exp((-3 * DISCUSSION_SHARE) / 1.5)) / (1 - Math.exp(-3 / 1.5)), 3);
  });

  it("leaves a comment's words out of the text signals", () => {
    const chatty = "cache cache store cache, the cache store is what I would check first";
    expect(rankFiles(index, issue, { discussion: chatty }).files).toEqual(rankFiles(index, issue).files);
  });
});
