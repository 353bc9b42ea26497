import { protectedPathMatcher } from "../../src/config/protected-paths.js";

describe("protectedPathMatcher", () => {
  it.each<[string, string[] | undefined, string, boolean]>([
    ["no globs", undefined, "secrets/key.pem", false],
    ["an empty list", [], "anything.txt", false],
    ["a file a glob names", ["config/secrets.yml"], "config/secrets.yml", true],
    ["a file under a protected folder", ["secrets"], "secrets/prod/key.pem", true],
    ["the folder written with a slash", ["secrets/"], "secrets/prod/key.pem", true],
    ["the folder written with /**", ["secrets/**"], "secrets/prod/key.pem", true],
    ["a glob over a folder", ["infra/*"], "infra/prod/main.tf", true],
    ["a dot file", [".env*"], ".env.production", true],
    ["a name that only starts like the folder", ["secrets"], "secrets-example/readme.md", false],
    ["a file named like the folder elsewhere", ["secrets"], "src/secrets.js", false],
    ["a glob without a slash matches from the root only", ["*.pem"], "keys/key.pem", false],
    ["**/ matches at any depth", ["**/*.pem"], "keys/deep/key.pem", true],
    ["one of several globs", ["a/**", "b"], "b/c.txt", true],
  ])("%s", (_name, globs, path, expected) => {
    expect(protectedPathMatcher(globs)(path)).toBe(expected);
  });
});

describe("protectedPathMatcher as the index uses it", () => {
  it("matches globs including dotfiles, and nothing without globs", () => {
    const isExcluded = protectedPathMatcher(["secrets/**", "**/*.pem", ".github/**"]);
    expect(isExcluded("secrets/a/b.txt")).toBe(true);
    expect(isExcluded("deep/key.pem")).toBe(true);
    expect(isExcluded(".github/workflows/ci.yml")).toBe(true);
    expect(isExcluded("src/index.js")).toBe(false);
    expect(protectedPathMatcher(undefined)("anything")).toBe(false);
  });
});
