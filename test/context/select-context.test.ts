import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderContextForPrompt, renderSelectionMarkdown } from "../../src/context/render.js";
import { selectContext } from "../../src/context/select-context.js";
import { countTokens } from "../../src/context/token-count.js";
import { runGit } from "../../src/git/safe-git.js";
import { createSampleRepo, SAMPLE_FILES, type SampleRepo } from "../fixtures/context/sample-repo.js";

const DURATION_ISSUE = "`Duration.toISOString()` prints seconds with arbitrary precision: PT0.6666666S instead of PT0.667S";

let repo: SampleRepo;
let cacheDir: string;
beforeAll(async () => {
  repo = await createSampleRepo();
  cacheDir = mkdtempSync(join(tmpdir(), "codegen-context-cache-"));
});
afterAll(() => {
  repo.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe("selectContext", () => {
  it("ranks the file the issue is about first, with reasons, and packs its test and declarations", async () => {
    const selection = await selectContext({ repoDir: repo.dir, task: DURATION_ISSUE, budget: 4000, cacheDir: false });
    expect(selection.files[0].path).toBe("src/plugin/duration/index.js");
    expect(selection.files[0].reasons.map((r) => r.signal)).toEqual(expect.arrayContaining(["names", "bm25"]));
    const roles = Object.fromEntries(selection.included.map((f) => [f.path, f.role]));
    expect(roles["src/plugin/duration/index.js"]).toBe("target");
    expect(roles["test/plugin/duration.test.js"]).toBe("test");
    expect(roles["types/plugin/duration.d.ts"]).toMatch(/target|types/);
    // The rest of the repository is listed in the map, and nothing is both included and listed.
    expect(selection.repoMap).toMatch(/^cmd\/tool\/\w+\.go$/m);
    for (const file of selection.included) expect(selection.repoMap).not.toMatch(new RegExp(`^${file.path}$`, "m"));
  });

  it("never offers dropped kinds: lockfiles, changelogs, minified bundles", async () => {
    const selection = await selectContext({ repoDir: repo.dir, task: "duration changelog lockfile min bundle", budget: 4000, cacheDir: false });
    const everywhere = [...selection.files.map((f) => f.path), ...selection.included.map((f) => f.path), selection.repoMap].join("\n");
    for (const path of ["package-lock.json", "CHANGELOG.md", "dist/sample.min.js"]) expect(everywhere).not.toContain(path);
    expect(selection.stats?.dropped).toEqual(expect.objectContaining({ lockfile: 1, changelog: 1, minified: 1 }));
  });

  it("counts exactly the rendered prompt text and stays within the budget", async () => {
    for (const budget of [1000, 2000, 8000]) {
      const selection = await selectContext({ repoDir: repo.dir, task: DURATION_ISSUE, budget, cacheDir: false });
      const text = renderContextForPrompt(selection);
      expect(selection.usedTokens).toBe(countTokens(text));
      expect(selection.usedTokens).toBeLessThanOrEqual(budget);
      for (const file of selection.included) expect(text).toContain(`<file path="${file.path}" role="${file.role}">\n${file.content}`);
    }
  });

  it("is deterministic", async () => {
    const a = await selectContext({ repoDir: repo.dir, task: DURATION_ISSUE, budget: 3000, cacheDir: false });
    const b = await selectContext({ repoDir: repo.dir, task: DURATION_ISSUE, budget: 3000, cacheDir: false });
    expect({ ...b, stats: undefined }).toEqual({ ...a, stats: undefined });
  });

  it("finds files from a Python stack trace and a Go identifier", async () => {
    const python = await selectContext({ repoDir: repo.dir, task: 'Traceback:\n  File "/srv/app/lib/handlers.py", line 2, in handle_request\nKeyError', budget: 3000, cacheDir: false });
    expect(python.files[0].path).toBe("lib/handlers.py");
    const go = await selectContext({ repoDir: repo.dir, task: "RenderTable draws an empty report", budget: 3000, cacheDir: false });
    expect(go.files[0].path).toBe("cmd/tool/table.go");
  });

  it("uses co-change history: the declarations changed with the duration plugin", async () => {
    const selection = await selectContext({ repoDir: repo.dir, task: DURATION_ISSUE, budget: 3000, cacheDir: false });
    const declarations = selection.files.find((f) => f.path === "types/plugin/duration.d.ts")!;
    expect(declarations.reasons.map((r) => r.signal)).toEqual(expect.arrayContaining(["history"]));
  });

  it("uses past commits: the files of an earlier fix whose message reads like the issue, through the cache too", async () => {
    const ownCache = mkdtempSync(join(tmpdir(), "codegen-context-cache-"));
    try {
      const input = { repoDir: repo.dir, task: "Duration precision is lost", budget: 3000, commit: repo.commit, cacheDir: ownCache };
      const first = await selectContext(input);
      const second = await selectContext(input);
      expect(second.stats?.cacheHit).toBe(true);
      for (const selection of [first, second]) {
        const plugin = selection.files.find((f) => f.path === "src/plugin/duration/index.js")!;
        expect(plugin.reasons.find((r) => r.signal === "past-commits")?.detail).toBe('changed by "fix: duration precision (#12)"');
      }
    } finally {
      rmSync(ownCache, { recursive: true, force: true });
    }
  });

  it("follows the earlier fix an issue refers to (named-commits), through the cache too", async () => {
    const ownCache = mkdtempSync(join(tmpdir(), "codegen-context-cache-"));
    try {
      const input = { repoDir: repo.dir, task: "This came back after #12 was fixed", budget: 3000, commit: repo.commit, cacheDir: ownCache };
      for (const selection of [await selectContext(input), await selectContext(input)]) {
        const plugin = selection.files.find((f) => f.path === "src/plugin/duration/index.js")!;
        expect(plugin.reasons.find((r) => r.signal === "named-commits")?.detail).toBe('commit "fix: duration precision (#12)" refers to #12');
      }
    } finally {
      rmSync(ownCache, { recursive: true, force: true });
    }
  });

  it("caches the index per commit: the second call hits the cache and returns the same selection", async () => {
    const input = { repoDir: repo.dir, task: DURATION_ISSUE, budget: 3000, commit: repo.commit, cacheDir };
    const first = await selectContext(input);
    const second = await selectContext(input);
    expect(first.stats?.cacheHit).toBe(false);
    expect(second.stats?.cacheHit).toBe(true);
    expect({ ...second, stats: undefined }).toEqual({ ...first, stats: undefined });
  });

  it("reads co-change from a separate history repository when the clone is shallow, and never caches a missing history", async () => {
    const work = mkdtempSync(join(tmpdir(), "codegen-context-shallow-"));
    const shallowCache = mkdtempSync(join(tmpdir(), "codegen-context-cache-"));
    try {
      const shallow = join(work, "repo");
      const history = join(work, "history.git");
      await runGit(["clone", "-q", "--depth", "1", `file://${repo.dir}`, shallow], { cwd: work });
      await runGit(["clone", "-q", "--bare", "--filter=blob:none", `file://${repo.dir}`, history], { cwd: work });
      const historySignal = (selection: Awaited<ReturnType<typeof selectContext>>) =>
        selection.files.find((f) => f.path === "types/plugin/duration.d.ts")?.reasons.some((r) => r.signal === "history") ?? false;

      const input = { repoDir: shallow, task: DURATION_ISSUE, budget: 3000, commit: repo.commit, cacheDir: shallowCache };
      const withoutHistory = await selectContext(input);
      expect(historySignal(withoutHistory)).toBe(false);
      // Not cached: a later job with the history must not get this history-less index.
      expect((await selectContext(input)).stats?.cacheHit).toBe(false);

      const withHistory = await selectContext({ ...input, historyDir: history });
      expect(historySignal(withHistory)).toBe(true);
      expect(withHistory.stats?.cacheHit).toBe(false);
      expect((await selectContext({ ...input, historyDir: history })).stats?.cacheHit).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(shallowCache, { recursive: true, force: true });
    }
  });

  // A folder written as protected_paths users write it ("src/plugin", "src/plugin/") covers its files, as the
  // model's tools and the patch check have always read it.
  it.each([["src/plugin/**"], ["src/plugin"], ["src/plugin/"]])("never reads excluded paths (%s)", async (glob) => {
    const selection = await selectContext({ repoDir: repo.dir, task: DURATION_ISSUE, budget: 8000, cacheDir: false, excluded: [glob] });
    const text = renderContextForPrompt(selection) + selection.files.map((f) => f.path).join("\n");
    expect(text).not.toContain("src/plugin/duration/index.js");
    expect(text).not.toContain("seconds with arbitrary precision");
  });

  it("does not follow a committed symlink", async () => {
    const outside = mkdtempSync(join(tmpdir(), "codegen-context-outside-"));
    writeFileSync(join(outside, "secret.js"), "export const duration = 'TOP SECRET toISOString precision'\n");
    const linked = await createSampleRepo({ ...SAMPLE_FILES }, []);
    try {
      symlinkSync(join(outside, "secret.js"), join(linked.dir, "src/linked.js"));
      await runGit(["add", "src/linked.js"], { cwd: linked.dir });
      await runGit(["commit", "-q", "-m", "link"], { cwd: linked.dir });
      const selection = await selectContext({ repoDir: linked.dir, task: DURATION_ISSUE + " TOP SECRET", budget: 8000, cacheDir: false });
      expect(renderContextForPrompt(selection)).not.toContain("TOP SECRET");
      expect(selection.files.map((f) => f.path)).not.toContain("src/linked.js");
    } finally {
      linked.cleanup();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("renders a collapsed markdown section with roles, tokens and reasons", async () => {
    const selection = await selectContext({ repoDir: repo.dir, task: DURATION_ISSUE, budget: 3000, cacheDir: false });
    const markdown = renderSelectionMarkdown(selection);
    expect(markdown).toMatch(/^<details>\n<summary>Context: \d+ files \([\d,]+ of 3,000 tokens\)<\/summary>/);
    expect(markdown).toContain("| `src/plugin/duration/index.js` | target |");
    expect(markdown).toMatch(/bm25 \d\.\d\d \(terms: /);
    expect(markdown.trim().endsWith("</details>")).toBe(true);
  });

  it("quotes commit subjects in the section without notifying people or linking issues", async () => {
    const selection = await selectContext({ repoDir: repo.dir, task: "Duration precision is lost", budget: 3000, cacheDir: false });
    const markdown = renderSelectionMarkdown(selection);
    expect(markdown).toContain("fix: duration precision (#\u200b12)");
    expect(markdown).not.toMatch(/#12\b/);
    const file = { ...selection.files[0], reasons: [{ signal: "past-commits", score: 0.2, detail: 'changed by "thanks @ana | fix"' }] };
    expect(renderSelectionMarkdown({ ...selection, files: [file] })).toContain('changed by "thanks @\u200bana \\| fix"');
  });
});
