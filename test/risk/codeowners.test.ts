import { codeownersMatcher, ownersForPaths, parseCodeowners, ruleFor } from "../../src/risk/codeowners.js";

describe("CODEOWNERS patterns (GitHub's documented examples)", () => {
  test.each<[string, string, boolean]>([
    ["*", "any/file.txt", true],
    ["*.js", "src/app/index.js", true],
    ["*.js", "src/app/index.ts", false],
    ["*.go", "main.go", true],
    ["/build/logs/", "build/logs/a/b.log", true],
    ["/build/logs/", "src/build/logs/a.log", false],
    ["docs/*", "docs/getting-started.md", true],
    ["docs/*", "docs/build-app/troubleshooting.md", false],
    ["apps/", "apps/x.js", true],
    ["apps/", "nested/apps/x.js", true],
    ["/docs/", "docs/a/b.md", true],
    ["/docs/", "src/docs/a.md", false],
    ["**/logs", "deeply/nested/logs/a.log", true],
    ["**/logs", "logs/a.log", true],
    ["/scripts", "scripts/deploy.sh", true],
    ["/db/migrate/", "db/migrate/2024_x.rb", true],
    ["**/migrations/**", "app/blog/migrations/0001.py", true],
    ["*.tf", "infra/modules/vpc/main.tf", true],
    ["/.github/workflows/", ".github/workflows/ci.yml", true],
  ])("%s matches %s: %s", (pattern, path, expected) => {
    expect(codeownersMatcher(pattern)(path)).toBe(expected);
  });
});

const FILE = `
# Default owners
*       @org/everyone
*.js    @js-owner
/db/migrate/   @org/dba @alice
/apps/github
docs/*  docs@example.com
\\#weird.txt @hash-owner   # trailing comment
!negated @ignored
`;

describe("parseCodeowners and ownersForPaths", () => {
  const rules = parseCodeowners(FILE);

  test("comments, blank lines and unsupported negation are skipped; line numbers kept", () => {
    expect(rules.map((r) => [r.pattern, r.line])).toEqual([
      ["*", 3],
      ["*.js", 4],
      ["/db/migrate/", 5],
      ["/apps/github", 6],
      ["docs/*", 7],
      ["#weird.txt", 8],
    ]);
  });

  test("the last matching line wins", () => {
    expect(ruleFor(rules, "web/app.js")?.owners).toEqual(["@js-owner"]);
    expect(ruleFor(rules, "README")?.owners).toEqual(["@org/everyone"]);
  });

  test("a pattern without owners leaves the path unowned", () => {
    expect(ownersForPaths(rules, ["apps/github/x.rb"])).toEqual({ users: [], teams: [], emails: [] });
  });

  test("owners of several paths: users, team slugs and e-mails, deduplicated, author excluded", () => {
    expect(ownersForPaths(rules, ["db/migrate/1_x.rb", "db/migrate/2_y.rb", "docs/a.md", "src/x.js", "#weird.txt"], ["@Alice"])).toEqual({
      users: ["js-owner", "hash-owner"],
      teams: ["dba"],
      emails: ["docs@example.com"],
    });
  });
});
