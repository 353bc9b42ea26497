import { DEFAULT_MAX_FILE_BYTES } from "../model/tools/workspace-guard.js";

/**
 * What a repository file is, judged from its path (and, in `classifyContent`, its first bytes). The kind decides
 * whether the file is a candidate at all and how much its relevance counts: tests, generated, vendored,
 * lockfiles, changelogs, minified and binary files crowd real sources out of lexical search otherwise.
 */
export type FileKind =
  | "source"
  | "types"
  | "test"
  | "docs"
  | "config"
  | "other"
  | "generated"
  | "vendored"
  | "lockfile"
  | "changelog"
  | "minified"
  | "binary"
  | "large";

/** Multiplier on a file's relevance; 0 drops it from the candidates (it never reaches the prompt or the map). */
export const KIND_WEIGHT: Record<FileKind, number> = {
  source: 1,
  types: 0.3,
  config: 0.25,
  docs: 0.2,
  other: 0.2,
  test: 0.15,
  generated: 0,
  vendored: 0,
  lockfile: 0,
  changelog: 0,
  minified: 0,
  binary: 0,
  large: 0,
};

const SOURCE_EXTENSIONS = new Set(
  (
    "js jsx mjs cjs ts tsx mts cts vue svelte py pyx go java kt kts scala groovy rb rake php cs fs c h cc cpp cxx hpp hh " +
    "m mm swift rs ex exs erl hrl clj cljs dart lua pl pm r jl hs ml mli elm zig sol sh bash zsh ps1 sql graphql gql proto"
  ).split(" "),
);
const DOC_EXTENSIONS = new Set(["md", "mdx", "rst", "txt", "adoc", "asciidoc", "org", "textile"]);
const CONFIG_EXTENSIONS = new Set(["json", "json5", "jsonc", "yml", "yaml", "toml", "ini", "cfg", "conf", "xml", "properties", "gradle", "env", "editorconfig"]);
const BINARY_EXTENSIONS = new Set(
  (
    "png jpg jpeg gif bmp ico icns webp avif tif tiff psd svgz pdf zip gz tgz bz2 xz 7z rar tar jar war ear class so dylib dll exe " +
    "bin o a lib obj wasm woff woff2 ttf otf eot mp3 mp4 m4a wav ogg flac mov avi mkv webm pyc pyo db sqlite sqlite3 pkl npy npz " +
    "onnx pt pth h5 parquet arrow feather ds_store keystore p12 pfx der"
  ).split(" "),
);
const LOCKFILES = new Set([
  "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock", "gemfile.lock", "poetry.lock",
  "pipfile.lock", "cargo.lock", "composer.lock", "go.sum", "mix.lock", "podfile.lock", "pubspec.lock", "packages.lock.json",
  "flake.lock", "uv.lock", "pdm.lock", "gradle.lockfile", "deno.lock",
]);
/** Python projects vendor under `_vendor` (pip, setuptools) or `vendored` (botocore). */
const VENDOR_DIRS = new Set([
  "node_modules", "vendor", "vendors", "_vendor", "vendored", "_vendored", "third_party", "third-party", "thirdparty", "bower_components",
  "jspm_packages", ".yarn", "site-packages", "pods", "external", "externals", "deps",
]);
const GENERATED_DIRS = new Set(["dist", "coverage", ".next", ".nuxt", "__generated__", "generated", ".cache", "target", ".gradle", ".venv", "venv", "__pycache__", ".tox", "htmlcov", "out-tsc"]);
/** `__testfixtures__`: jscodeshift's input/output pairs for codemod tests. */
const TEST_DIRS = new Set(["test", "tests", "__tests__", "spec", "specs", "e2e", "__mocks__", "__fixtures__", "__testfixtures__", "fixtures", "testdata", "test-data", "testing", "test_data", "testsuite", "__snapshots__", "benchmark", "benchmarks", "bench", "benches", "test-d", "step_definitions", "testscripts"]);
/**
 * Test folders named by a kind of test around "test(s)": `system-tests`, `tests_integration`, `unit-test`, type
 * tests (`typing-tests`, `ts3.1-typing-tests`, tsd's `test-d`), or by the runner that runs them (`mocha_test`,
 * `karma-tests`), also in Jest's `__…__` style (`__performance_tests__`). Only kinds of test and runners: a package
 * such as `jest-test-result`, `test-utils` or Vue's `runtime-test` (a renderer for tests) is source code.
 */
const TEST_KINDS =
  "system|integration|unit|e2e|end-to-end|functional|acceptance|smoke|regression|perf|performance|browser|api|ui|types?|typings?|" +
  "mocha|jasmine|karma|qunit|ava|tape|nose|pytest";
const QUALIFIED_TEST_DIR = new RegExp(`^(__)?(?:(?:[\\w.]+[-_])?(?:${TEST_KINDS})[-_]tests?|tests?[-_](?:${TEST_KINDS}))\\1$`, "i");

/**
 * Gradle's test source sets are named `<something>Test` in camelCase: Android's `androidTest`, Kotlin
 * Multiplatform's `commonTest`, `jvmTest`, `jsTest`, `nativeTest`, and `integrationTest` or `functionalTest`
 * suites. Case matters: `abtest` or `Test` is not one.
 */
const SOURCE_SET_TEST_DIR = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*Test$/;
/**
 * .NET's and Swift's test projects are named in PascalCase after what they test, ending in `Tests` or `Specs`:
 * `UnitTests`, `IntegrationTests.Net4`, `Serilog.Tests`, `Newtonsoft.Json.Tests`, `Polly.Specs`, SwiftPM's
 * `Tests/VaporTests`.
 */
const PROJECT_TEST_DIR = /^(?:[A-Za-z0-9]+\.)*(?:[A-Z][A-Za-z0-9]*)?(?:Tests|Specs)(?:\.[A-Za-z0-9]+)*$/;

/** A folder that holds tests (and their fixtures and snapshots), by its name (as written: case matters for two rules). */
export function isTestDirectory(name: string): boolean {
  const lower = name.toLowerCase();
  return TEST_DIRS.has(lower) || QUALIFIED_TEST_DIR.test(lower) || SOURCE_SET_TEST_DIR.test(name) || PROJECT_TEST_DIR.test(name);
}
const DOC_DIRS = new Set(["docs", "doc", "documentation", "website", "site", "examples", "example", "demo", "demos", "samples"]);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** Test files by name in the common ecosystems. */
export function isTestFileName(name: string): boolean {
  return (
    // `.test-d.ts`: tsd's type tests.
    /\.(test|spec|tests|specs|e2e|bench|stories|story|test-d)\.[a-z0-9]+$/i.test(name) ||
    /_(test|spec)\.[a-z0-9]+$/i.test(name) ||
    /^test_.*\.py$/i.test(name) ||
    /^conftest\.py$/i.test(name) ||
    isClassNamedTest(name) ||
    /\.snap$/i.test(name) ||
    isGherkinScenario(name)
  );
}

/**
 * JUnit's, PHPUnit's, NUnit's and XCTest's convention: a test class is named after the class it tests, then `Test`,
 * `Tests`, `TestCase` or `IT` (failsafe's integration tests): `FooTest.java`, `LoaderTest.php`. A name that is only
 * `Test.php` or `TestCase.java` is a test framework's own class (phpunit's `src/Framework/Test.php`, junit4's
 * `junit/framework/TestCase.java`), and `…Spec` marks tests only where Spock, Kotest, ScalaTest and Quick use it:
 * in Java and PHP a Spec is an ordinary class (javapoet's `TypeSpec.java`).
 */
export function isClassNamedTest(name: string): boolean {
  return /[A-Za-z0-9_](Test|Tests|TestCase|IT)\.(java|kt|scala|groovy|cs|swift|php)$/.test(name) || /[A-Za-z0-9_]Spec\.(kt|scala|groovy|swift)$/.test(name);
}

/**
 * A test class by its name, outside Maven's and Gradle's production source set (`src/main/java/…`), where a class
 * named `RepeatedTest` (junit4) or `ProxifyMethodChangingTheObjectUnderTest` (assertj) is code.
 */
export function isClassNamedTestPath(path: string): boolean {
  const segments = path.split("/");
  if (!isClassNamedTest(segments.at(-1)!)) return false;
  return !segments.some((d, i) => d === "main" && segments[i - 1] === "src");
}

/** Cucumber's and behave's scenarios, tests written as prose; towncrier's `2283.feature` is a changelog fragment. */
export function isGherkinScenario(name: string): boolean {
  return /^(?![+\d])[^.]+\.feature$/i.test(name);
}

/** Folders of release notes, whatever their files are called (jackson's `release-notes/VERSION-2.x` and `CREDITS`). */
const RELEASE_NOTE_DIRS = new Set(["changelogs", ".changeset", "release-notes", "release_notes", "releasenotes"]);

/** A file kept in a folder of release notes: bookkeeping a fix may touch, not code it needs. */
export function isInReleaseNotes(path: string): boolean {
  return path.split("/").slice(0, -1).some((d) => RELEASE_NOTE_DIRS.has(d.toLowerCase()));
}

export function classifyPath(path: string): FileKind {
  const segments = path.split("/");
  const name = segments[segments.length - 1];
  const lower = name.toLowerCase();
  const ext = extensionOf(lower);
  const dirs = segments.slice(0, -1).map((s) => s.toLowerCase());

  if (BINARY_EXTENSIONS.has(ext)) return "binary";
  if (LOCKFILES.has(lower) || ext === "lock" || ext === "lockb") return "lockfile";
  if (dirs.some((d) => VENDOR_DIRS.has(d))) return "vendored";
  if (/^(changelog|changes|history|news|releases?|release-notes)(\.[a-z]+)?$/i.test(lower) || isInReleaseNotes(path)) {
    return "changelog";
  }
  if (/\.min\.(js|css|mjs)$/.test(lower) || /[.-]bundle\.js$/.test(lower) || ext === "map") return "minified";
  if (dirs.some((d) => GENERATED_DIRS.has(d)) || /\.(pb|pb\.gw|gen|generated)\.[a-z]+$/.test(lower) || /_pb2(_grpc)?\.py$/.test(lower)) {
    return "generated";
  }
  if (segments.slice(0, -1).some(isTestDirectory) || (isClassNamedTest(name) ? isClassNamedTestPath(path) : isTestFileName(name))) return "test";
  if (/\.d\.(ts|mts|cts)$/.test(lower) || ext === "pyi" || ext === "rbi") return "types";
  // Tool configuration written as code (karma.conf.js, vite.config.ts, .eslintrc.js, Gruntfile.js, setup.py is source).
  if (/\.(conf|config|rc)\.[cm]?[jt]s$/.test(lower) || /^\.[\w-]+rc\.[cm]?js$/.test(lower) || /^(gulpfile|gruntfile|jakefile)\.[cm]?[jt]s$/.test(lower) || /^karma\.[\w.-]*\.?js$/.test(lower)) {
    return "config";
  }
  if (SOURCE_EXTENSIONS.has(ext)) return dirs.some((d) => DOC_DIRS.has(d)) ? "docs" : "source";
  if (DOC_EXTENSIONS.has(ext) || /^(readme|license|licence|copying|authors|contributing|code_of_conduct)/i.test(lower)) return "docs";
  if (CONFIG_EXTENSIONS.has(ext) || lower.startsWith(".") || /^(dockerfile|makefile|rakefile|gemfile|procfile|justfile)$/i.test(lower)) {
    return "config";
  }
  return "other";
}

/**
 * What generators write at the top of their output: "@generated", "Code generated by protoc … DO NOT EDIT",
 * "This file is generated automatically by `scripts/build.js`. Please, don't change it.", "Auto-generated",
 * and API reference pages ("<!-- Generated by javadoc (17) on … -->", Doxygen's), which some projects commit by
 * the thousand, one snapshot per release (jackson-databind: 18,898 pages beside 464 source files).
 * Only explicit statements: "generated by" alone also starts ordinary doc comments.
 */
const GENERATED_MARKER =
  /@generated\b|\bDO NOT EDIT\b|auto-?generated|(?:is|was|are|were) (?:automatically |auto )?generated\b|\bgenerated automatically\b|\bautomatically generated\b|generated by .{0,40}(protoc|tool|script)|generated by (?:javadoc|doxygen)\b/i;

/** Files above this size are mostly data or generated; they are listed in no prompt. */
export const MAX_FILE_BYTES = 512 * 1024;
/**
 * Source code gets more room: a library kept in one file (lodash.js, 540 KB) is still the file its fixes change.
 * Up to the size the model's editor accepts, since a larger file could not be edited anyway.
 */
export const MAX_SOURCE_BYTES = DEFAULT_MAX_FILE_BYTES;

/** A file named `test.js`, `spec.ts`, … (no other name part): a test or a source module called Test, by its content. */
const BARE_TEST_NAME = /^(test|tests|spec|specs)\.[cm]?[jt]sx?$/i;
/** Test-runner calls at the start of a line: `describe(`, `it(`, `test.each(`, `suite(`. */
const TEST_RUNNER_CALL = /^[ \t]*(describe|it|test|suite|context)(\.\w+)?\s*\(/m;

/**
 * Tests kept next to their module as `src/parse/test.js` are tests, but a name alone cannot tell them from a
 * module that implements tests (`lib/test.js` in a test runner): the content decides.
 */
export function isColocatedTest(path: string, content: string): boolean {
  return BARE_TEST_NAME.test(path.slice(path.lastIndexOf("/") + 1)) && TEST_RUNNER_CALL.test(content);
}

/** An executable script without an extension (`bin/lessc`, `bin/_mocha`) is source, told by its interpreter line. */
const SCRIPT_SHEBANG = /^#!\s*\S*\b(?:env\s+(?:-\S+\s+)*)?(?:node|nodejs|deno|bun|python[\d.]*|ruby|perl|php|bash|sh|zsh)\b/;

/**
 * Refine a path's kind with its content: binary (NUL bytes), minified (very long lines), generated markers,
 * (given the path) colocated tests named `test.js`, and scripts without an extension.
 */
export function classifyContent(kind: FileKind, content: Buffer, path?: string): FileKind {
  if (KIND_WEIGHT[kind] === 0) return kind;
  if (content.length > (kind === "source" ? MAX_SOURCE_BYTES : MAX_FILE_BYTES)) return "large";
  const head = content.subarray(0, 8000);
  if (head.includes(0)) return "binary";
  const text = head.toString("utf8");
  const lines = text.split("\n");
  const longest = lines.reduce((m, l) => Math.max(m, l.length), 0);
  if (longest > 1000 && text.length / lines.length > 200) return "minified";
  const top = lines.slice(0, 5).join("\n");
  if (GENERATED_MARKER.test(top)) return "generated";
  if (kind === "source" && path && isColocatedTest(path, content.toString("utf8"))) return "test";
  if (kind === "other" && SCRIPT_SHEBANG.test(lines[0])) return "source";
  return kind;
}
