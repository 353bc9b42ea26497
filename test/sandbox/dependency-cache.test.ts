import {
  dependencyCacheKey,
  dependencyManifestPaths,
  isDependencyManifest,
  touchesDependencyManifest,
} from "../../src/sandbox/dependency-cache.js";

describe("isDependencyManifest", () => {
  it.each([
    "package.json",
    "package-lock.json",
    "packages/web/package.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    ".npmrc",
    "requirements.txt",
    "requirements-dev.txt",
    "requirements/test.txt",
    "pyproject.toml",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "go.mod",
    "go.sum",
    "Cargo.toml",
    "Cargo.lock",
    "Gemfile",
    "Gemfile.lock",
    "app.gemspec",
    "composer.lock",
    "pom.xml",
    "build.gradle.kts",
    "gradle/wrapper/gradle-wrapper.properties",
    "src/App/App.csproj",
    "mix.lock",
    "pubspec.yaml",
    "Package.resolved",
    ".tool-versions",
    ".nvmrc",
  ])("%s is a manifest", (path) => expect(isDependencyManifest(path)).toBe(true));

  it.each([
    "src/index.ts",
    "README.md",
    "package.jsonc.bak",
    "node_modules/left-pad/package.json",
    "vendor/github.com/x/go.mod",
    "docs/requirements.md",
    "test/fixtures/lock.txt",
  ])("%s is not", (path) => expect(isDependencyManifest(path)).toBe(false));

  it("touchesDependencyManifest and dependencyManifestPaths", () => {
    expect(touchesDependencyManifest(["src/a.ts", "README.md"])).toBe(false);
    expect(touchesDependencyManifest(["src/a.ts", "package-lock.json"])).toBe(true);
    expect(dependencyManifestPaths(["z/go.sum", "src/a.ts", "a/package.json"])).toEqual(["a/package.json", "z/go.sum"]);
  });
});

describe("dependencyCacheKey", () => {
  const files = [
    { path: "package.json", content: '{"name":"x"}' },
    { path: "package-lock.json", content: "{}" },
    { path: "src/index.ts", content: "export {}" },
  ];
  const key = dependencyCacheKey(files, "npm ci", "sha256:abc");

  it("is a valid Docker tag and stable", () => {
    expect(key).toMatch(/^[a-f0-9]{64}$/);
    expect(dependencyCacheKey([...files].reverse(), "npm ci", "sha256:abc")).toBe(key);
  });

  it("ignores non-manifest files", () => {
    expect(dependencyCacheKey([...files.slice(0, 2), { path: "src/index.ts", content: "changed" }], "npm ci", "sha256:abc")).toBe(key);
    expect(dependencyCacheKey(files.slice(0, 2), "npm ci", "sha256:abc")).toBe(key);
  });

  it.each<[string, Parameters<typeof dependencyCacheKey>]>([
    ["lockfile content", [[files[0], { path: "package-lock.json", content: "{ }" }], "npm ci", "sha256:abc"]],
    ["manifest moved", [[{ path: "app/package.json", content: '{"name":"x"}' }, files[1]], "npm ci", "sha256:abc"]],
    ["install command", [files, "npm install", "sha256:abc"]],
    ["base image", [files, "npm ci", "sha256:def"]],
    ["a new manifest", [[...files, { path: "requirements.txt", content: "" }], "npm ci", "sha256:abc"]],
  ])("changes with the %s", (_name, args) => {
    expect(dependencyCacheKey(...args)).not.toBe(key);
  });

  it("cannot be confused by moving bytes between path and content", () => {
    const a = dependencyCacheKey([{ path: "package.json", content: "ab" }], "npm ci", "x");
    const b = dependencyCacheKey([{ path: "package.jsona", content: "b" }], "npm ci", "x");
    expect(a).not.toBe(b);
  });
});
