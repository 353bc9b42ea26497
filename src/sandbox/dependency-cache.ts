import { createHash } from "node:crypto";

/**
 * Files that decide what a dependency install produces, by ecosystem. Matched by base name anywhere in the
 * repository (monorepos keep one per package), except inside vendored or installed trees.
 */
const MANIFEST_NAMES = new Set([
  // JavaScript / TypeScript
  "package.json",
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  ".yarnrc",
  ".yarnrc.yml",
  "pnpm-lock.yaml",
  "pnpm-workspace.yaml",
  ".npmrc",
  ".pnpmfile.cjs",
  "bun.lock",
  "bun.lockb",
  "deno.json",
  "deno.jsonc",
  "deno.lock",
  ".nvmrc",
  ".node-version",
  // Python
  "requirements.txt",
  "pipfile",
  "pipfile.lock",
  "pyproject.toml",
  "poetry.lock",
  "uv.lock",
  "pdm.lock",
  "setup.py",
  "setup.cfg",
  ".python-version",
  // Go, Rust, Ruby, PHP
  "go.mod",
  "go.sum",
  "go.work",
  "go.work.sum",
  "cargo.toml",
  "cargo.lock",
  "rust-toolchain",
  "rust-toolchain.toml",
  "gemfile",
  "gemfile.lock",
  ".ruby-version",
  "composer.json",
  "composer.lock",
  // JVM
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "settings.gradle",
  "settings.gradle.kts",
  "gradle.properties",
  "gradle-wrapper.properties",
  "libs.versions.toml",
  "build.sbt",
  // .NET, Elixir, Dart, Swift, Haskell, tool versions
  "packages.lock.json",
  "directory.packages.props",
  "directory.build.props",
  "global.json",
  "nuget.config",
  "mix.exs",
  "mix.lock",
  "pubspec.yaml",
  "pubspec.lock",
  "package.swift",
  "package.resolved",
  "stack.yaml",
  "cabal.project",
  ".tool-versions",
]);

const MANIFEST_PATTERNS = [
  /^requirements[-_.][\w.-]*\.txt$/i, // requirements-dev.txt, requirements.test.txt
  /^requirements\/.*\.(txt|in)$/i,
  /\.(csproj|fsproj|vbproj)$/i,
  /\.gemspec$/i,
  /\.cabal$/i,
];

const IGNORED_TREES = /(^|\/)(node_modules|vendor|\.git|\.venv|venv|target|dist|build)\//;

/** True for a manifest or lockfile whose change can change what the install phase produces. */
export function isDependencyManifest(path: string): boolean {
  const normalized = path.replace(/^\.\//, "");
  if (IGNORED_TREES.test(normalized)) return false;
  const base = normalized.slice(normalized.lastIndexOf("/") + 1).toLowerCase();
  if (MANIFEST_NAMES.has(base)) return true;
  return MANIFEST_PATTERNS.some((pattern) => pattern.test(base) || pattern.test(normalized));
}

/** The manifests and lockfiles among `paths` (sorted). */
export function dependencyManifestPaths(paths: readonly string[]): string[] {
  return paths.filter(isDependencyManifest).sort();
}

/**
 * True when a change touches dependency manifests or lockfiles. Such a change is never installed silently
 * (the prepared image comes from the base branch); the caller reports it and raises the risk tier.
 */
export function touchesDependencyManifest(paths: readonly string[]): boolean {
  return paths.some(isDependencyManifest);
}

/** Bump when the prepared image layout changes, so old images are not reused. */
const CACHE_FORMAT = "codegen-deps/1";

/**
 * The cache key of a prepared dependency image: a hash over the manifests and lockfiles among `files`
 * (path and content, in path order), the install command and the base image id. Non-manifest files are
 * ignored, so editing source code never invalidates the cache. The result is a valid Docker tag.
 */
export function dependencyCacheKey(
  files: readonly { path: string; content: string | Buffer }[],
  installCommand: string,
  baseImageId: string,
): string {
  const hash = createHash("sha256");
  const field = (value: string | Buffer): void => {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, "utf8");
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  };
  field(CACHE_FORMAT);
  field(installCommand.trim());
  field(baseImageId);
  const manifests = files
    .filter((file) => isDependencyManifest(file.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of manifests) {
    field(file.path.replace(/^\.\//, ""));
    field(file.content);
  }
  return hash.digest("hex");
}
