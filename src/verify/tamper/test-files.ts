import picomatch from "picomatch";

/**
 * Which paths hold tests, test snapshots and test-runner configuration, across the ecosystems the sandbox
 * runs (JS/TS, Python, Go, Ruby, JVM, plus a few others that cost one glob each).
 */

const TEST_FILE_GLOBS = [
  // JavaScript / TypeScript
  "**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs,mts,cts}",
  "**/__tests__/**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}",
  "{test,tests,spec,specs,__tests__,e2e,cypress}/**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}",
  "**/{test,tests,spec,specs,e2e}/**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}",
  // Python
  "**/test_*.py",
  "**/*_test.py",
  "**/tests/**/*.py",
  // Go
  "**/*_test.go",
  // Ruby
  "**/*_spec.rb",
  "**/*_test.rb",
  "{spec,test}/**/*.rb",
  "**/{spec,test}/**/*.rb",
  // JVM
  "**/src/test/**/*.{java,kt,kts,scala,groovy}",
  "**/*{Test,Tests,IT,Spec}.{java,kt,scala,groovy}",
  // Others: C#, Rust, PHP, Elixir
  "**/*{Test,Tests}.cs",
  "**/tests/**/*.rs",
  "**/tests/**/*.php",
  "**/*Test.php",
  "**/test/**/*_test.exs",
];

const SNAPSHOT_GLOBS = ["**/__snapshots__/**", "**/*.snap", "**/*.ambr", "**/snapshots/**/*.{txt,json,snap}"];

const TEST_CONFIG_GLOBS = [
  "**/jest.config.{js,cjs,mjs,ts,cts,mts,json}",
  "**/jest.*.config.{js,cjs,mjs,ts}",
  "**/vitest.config.{js,cjs,mjs,ts,cts,mts}",
  "**/vitest.{workspace,projects}.{js,cjs,mjs,ts,json}",
  "**/vite.config.{js,cjs,mjs,ts,cts,mts}",
  "**/.mocharc{,.js,.cjs,.json,.jsonc,.yml,.yaml}",
  "**/karma.conf.{js,cjs,ts}",
  "**/ava.config.{js,cjs,mjs}",
  "**/playwright.config.{js,ts,mjs}",
  "**/cypress.config.{js,ts,mjs}",
  "**/package.json",
  "**/pytest.ini",
  "**/pyproject.toml",
  "**/setup.cfg",
  "**/tox.ini",
  "**/noxfile.py",
  "**/conftest.py",
  "**/.rspec",
  "**/spec/spec_helper.rb",
  "**/phpunit.xml{,.dist}",
  ".github/codegen.yml",
  ".github/codegen.yaml",
];

const matchOptions = { dot: true, nocase: false } as const;
const isTestPath = picomatch(TEST_FILE_GLOBS, matchOptions);
const isSnapshotPath = picomatch(SNAPSHOT_GLOBS, matchOptions);
const isTestConfigPath = picomatch(TEST_CONFIG_GLOBS, matchOptions);

/** Test data next to tests is not a test: fixtures, mocks and helpers do not hold assertions of their own. */
const SUPPORT_PATH = /(^|\/)(fixtures?|__fixtures__|__mocks__|testdata|test-data|mocks?|stubs?|helpers?|support|utils?)\//;

export function isTestFile(path: string): boolean {
  return isTestPath(path) && !isSnapshotPath(path) && !SUPPORT_PATH.test(path);
}

export function isSnapshotFile(path: string): boolean {
  return isSnapshotPath(path);
}

export function isTestConfigFile(path: string): boolean {
  return isTestConfigPath(path);
}

export type TestLanguage = "js" | "python" | "go" | "ruby" | "jvm" | "other";

export function testLanguage(path: string): TestLanguage {
  if (/\.(js|jsx|ts|tsx|mjs|cjs|mts|cts)$/.test(path)) return "js";
  if (/\.py$/.test(path)) return "python";
  if (/\.go$/.test(path)) return "go";
  if (/\.rb$/.test(path)) return "ruby";
  if (/\.(java|kt|kts|scala|groovy)$/.test(path)) return "jvm";
  return "other";
}
