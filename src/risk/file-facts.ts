import parseDiff from "parse-diff";
import { normalizePath, matchesAnyGlob } from "./globs.js";
import type { ChangedFile } from "./types.js";

/** One line of a file with its line number (new side for added lines, old side for removed ones). */
export interface NumberedLine {
  line: number;
  text: string;
}

/**
 * What every rule needs to know about one changed file, computed once: normalised paths, the new
 * content, the lines this change adds and removes (from the patch), and the test/doc predicates that
 * decide which content rules apply.
 */
export interface FileFacts {
  file: ChangedFile;
  path: string;
  /** The new path and, for renames, the old one: a migration moved away is still a migration change. */
  allPaths: string[];
  status: ChangedFile["status"];
  basename: string;
  /** Lower-case extension with its dot (".ts"), or "" when there is none. */
  ext: string;
  /** New content ("" when deleted, binary or unknown). */
  content: string;
  /** Lines this change adds. Without a patch, every line of the new content counts as added. */
  added: NumberedLine[];
  /** Lines this change removes (old line numbers); empty without a patch. */
  removed: NumberedLine[];
  addedLineNumbers: Set<number>;
  /** True when no patch was given and `added` is the whole content. */
  wholeContentAdded: boolean;
  isTest: boolean;
  isFixture: boolean;
  isDoc: boolean;
  /** Test or fixture: content rules for endpoints, queries, data and infrastructure do not apply. */
  isTestLike: boolean;
  isCode: boolean;
}

export const TEST_PATTERNS = [
  { glob: "**/__tests__/**", label: "test under __tests__/" },
  { glob: "**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs,mts,cts}", label: "JavaScript/TypeScript test file (*.test/*.spec)" },
  { glob: "**/*.{cy,e2e-spec,e2e}.{js,ts,jsx,tsx}", label: "end-to-end test file" },
  { glob: "**/test_*.py", label: "pytest test module (test_*.py)" },
  { glob: "**/*_test.py", label: "pytest test module (*_test.py)" },
  { glob: "**/conftest.py", label: "pytest conftest.py" },
  { glob: "**/*_test.go", label: "Go test file (*_test.go)" },
  { glob: "**/*_spec.rb", label: "RSpec spec (*_spec.rb)" },
  { glob: "**/*_test.rb", label: "Minitest test (*_test.rb)" },
  { glob: "**/*_test.exs", label: "ExUnit test (*_test.exs)" },
  { glob: "**/*{Test,Tests,IT,Spec}.{java,kt,scala,groovy}", label: "JVM test class" },
  { glob: "**/*{Test,Tests}.cs", label: ".NET test class" },
  { glob: "**/*Test.php", label: "PHPUnit test" },
  { glob: "**/src/test/**", label: "Maven/Gradle test source under src/test/" },
  { glob: "**/*.Tests/**", label: ".NET test project" },
  { glob: "**/{test,tests,spec,specs,e2e,__snapshots__}/**", label: "file under a test directory" },
  { glob: "**/*.snap", label: "test snapshot" },
] as const;

export const FIXTURE_PATTERNS = [
  { glob: "**/{fixtures,__fixtures__,testdata,test-data,test_data,__mocks__}/**", label: "test fixture / test data" },
  { glob: "**/{factories,factory}/**/*.rb", label: "factory_bot factory" },
  { glob: "**/database/factories/**", label: "Laravel model factory (test data)" },
] as const;

/** Markup documentation, by extension: safe to skip every content rule for it. */
export const DOC_MARKUP_GLOBS = ["**/*.{md,mdx,markdown,rst,adoc,asciidoc}"] as const;

export const DOC_PATTERNS = [
  { glob: "**/*.{md,mdx,markdown}", label: "Markdown documentation" },
  { glob: "**/*.{rst,adoc,asciidoc}", label: "documentation (reStructuredText/AsciiDoc)" },
  { glob: "{docs,doc,documentation}/**/*.{txt,html,png,jpg,jpeg,gif,svg,webp}", label: "documentation asset under docs/" },
  { glob: "**/{LICENSE,LICENCE,COPYING,NOTICE,AUTHORS,CONTRIBUTORS,CHANGELOG,CHANGES,HISTORY,CONTRIBUTING,CODE_OF_CONDUCT,SECURITY,README}{,.txt}", label: "project documentation file" },
  { glob: ".github/{ISSUE_TEMPLATE/**,PULL_REQUEST_TEMPLATE*,pull_request_template*,FUNDING.yml,release-drafter.yml}", label: "GitHub community file" },
  { glob: "**/{locales,locale,i18n,translations}/**/*.{json,yml,yaml,po,properties}", label: "translation strings" },
  { glob: "**/*.po", label: "translation strings" },
  { glob: "**/*.{png,jpg,jpeg,gif,svg,webp,ico,woff,woff2,ttf,otf}", label: "static asset (image/font)" },
  { glob: "**/.gitignore", label: "ignore list (.gitignore)" },
  { glob: "**/.all-contributorsrc", label: "contributors list (all-contributors)" },
  { glob: "**/.git-blame-ignore-revs", label: "blame ignore list" },
] as const;

const CODE_EXTENSIONS = new Set([
  ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".py", ".rb", ".go", ".java", ".kt", ".kts", ".scala",
  ".groovy", ".cs", ".fs", ".php", ".ex", ".exs", ".erl", ".rs", ".c", ".h", ".cc", ".cpp", ".hpp", ".swift", ".m",
  ".sh", ".bash", ".zsh", ".ps1", ".pl", ".lua", ".dart", ".vue", ".svelte", ".astro", ".sql", ".r", ".jl", ".clj",
]);

/** Lines a unified patch adds and removes. parse-diff accepts both `git diff` output and GitHub's hunk-only `patch`. */
export function patchLines(patch: string): { added: NumberedLine[]; removed: NumberedLine[] } {
  const added: NumberedLine[] = [];
  const removed: NumberedLine[] = [];
  for (const file of parseDiff(patch)) {
    for (const chunk of file.chunks) {
      for (const change of chunk.changes) {
        if (change.type === "add") added.push({ line: change.ln, text: change.content.slice(1) });
        else if (change.type === "del") removed.push({ line: change.ln, text: change.content.slice(1) });
      }
    }
  }
  return { added, removed };
}

export function splitLines(content: string): NumberedLine[] {
  if (content === "") return [];
  const lines = content.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((text, i) => ({ line: i + 1, text }));
}

function extensionOf(basename: string): string {
  const dot = basename.lastIndexOf(".");
  return dot > 0 ? basename.slice(dot).toLowerCase() : "";
}

export function buildFileFacts(file: ChangedFile): FileFacts {
  const path = normalizePath(file.path);
  const previousPath = file.previousPath ? normalizePath(file.previousPath) : undefined;
  const allPaths = previousPath && previousPath !== path ? [path, previousPath] : [path];
  const basename = path.slice(path.lastIndexOf("/") + 1);
  const content = file.status === "deleted" ? "" : (file.content ?? "");
  let added: NumberedLine[];
  let removed: NumberedLine[] = [];
  let wholeContentAdded = false;
  if (file.patch !== undefined && file.patch.trim() !== "") {
    ({ added, removed } = patchLines(file.patch));
  } else {
    added = splitLines(content);
    wholeContentAdded = true;
  }
  const isTest = allPaths.some((p) => matchesAnyGlob(p, TEST_PATTERNS.map((t) => t.glob)));
  const isFixture = allPaths.some((p) => matchesAnyGlob(p, FIXTURE_PATTERNS.map((t) => t.glob)));
  const isDoc = matchesAnyGlob(path, DOC_MARKUP_GLOBS);
  const ext = extensionOf(basename);
  return {
    file,
    path,
    allPaths,
    status: file.status,
    basename,
    ext,
    content,
    added,
    removed,
    addedLineNumbers: new Set(added.map((l) => l.line)),
    wholeContentAdded,
    isTest,
    isFixture,
    isDoc,
    isTestLike: isTest || isFixture,
    isCode: CODE_EXTENSIONS.has(ext),
  };
}
