import { isExcludedFromGold } from "../../bench/localize/gold-rule.js";

describe("isExcludedFromGold", () => {
  test.each([
    ["src/index.js", false],
    ["test/index.test.js", true],
    ["src/utils.spec.ts", true],
    ["src/__snapshots__/a.js.snap", true],
    ["CHANGELOG.md", true],
    [".changeset/brave-owls.md", true],
    // Python and Go projects
    ["requests/models.py", false],
    ["tests/test_models.py", true],
    ["src/click/testing.py", false],
    ["src/flask/test_helpers.py", true],
    ["pkg/parser_test.py", true],
    ["internal/parse/parse_test.go", true],
    ["conftest.py", true],
    ["CHANGES.rst", true],
    ["HISTORY.rst", true],
    ["docs/changelog.rst", true],
    ["changelog.d/1234.bugfix.rst", true],
    ["changes/2817.feature.rst", true],
    ["changelog/11520.bugfix.rst", true],
    ["doc/whatsnew/fragments/9669.false_negative", true],
    ["docs/newsfragments/120.bugfix.rst", true],
    ["src/fragments/parse.py", false],
    ["changelog/parse.py", false],
    ["src/changes/detect.py", false],
    ["docs/api.rst", false],
    ["mocha_test/asyncify.js", true],
    ["werkzeug/testsuite/contrib/cache.py", true],
    // Ruby and Java projects
    ["lib/jekyll/site.rb", false],
    ["lib/rack/utils_spec.rb", true],
    ["lib/rack/utils_test.rb", true],
    ["features/site_configuration.feature", true],
    ["features/step_definitions/jekyll_steps.rb", true],
    ["testscripts/commands/config_environment_isolation_issue14763.txt", true],
    ["crates/core/benches/search.rs", true],
    ["src/main/java/com/google/gson/Gson.java", false],
    ["src/test/java/com/google/gson/GsonTest.java", true],
    ["release-notes/VERSION-2.x", true],
    ["release-notes/CREDITS-2.x", true],
    ["docs/release_notes/v1.2.md", true],
    ["src/main/java/com/acme/release/Notes.java", false],
  ])("%s → excluded %s", (path, excluded) => {
    expect(isExcludedFromGold(path)).toBe(excluded);
  });
});
