import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runGit } from "../../src/git/safe-git.js";
import { readChangedFiles } from "../../src/risk/changed-files.js";
import type { ChangedFile } from "../../src/risk/types.js";
import { blockingFindings, detectTestTampering, type TamperKind } from "../../src/verify/tamper-guard.js";

/** Files before and after; `null` after means deleted, `{ from }` means renamed from that path. */
type Files = Record<string, string>;
type AfterFiles = Record<string, string | null | { from: string; content?: string }>;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "tamper-guard-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
const identity = ["-c", "user.name=test", "-c", "user.email=test@example.com"];

/** Commits `before`, applies `after` to the working tree, and returns git's own view of the change. */
async function gitChanges(before: Files, after: AfterFiles): Promise<ChangedFile[]> {
  const dir = join(root, `repo-${counter++}`);
  await mkdir(dir, { recursive: true });
  const write = async (path: string, content: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  };
  await runGit(["init", "-q", "-b", "main"], { cwd: dir });
  for (const [path, content] of Object.entries(before)) await write(path, content);
  await runGit(["add", "-A"], { cwd: dir });
  await runGit([...identity, "commit", "-q", "-m", "base"], { cwd: dir });
  for (const [path, change] of Object.entries(after)) {
    if (change === null) await runGit(["rm", "-q", "--", path], { cwd: dir });
    else if (typeof change === "string") await write(path, change);
    else {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await runGit(["mv", "--", change.from, path], { cwd: dir });
      if (change.content !== undefined) await write(path, change.content);
    }
  }
  await runGit(["add", "-A"], { cwd: dir });
  return (await readChangedFiles(dir)).files;
}

// ---------------------------------------------------------------- realistic test files

const jestCart = `const { total, applyDiscount, summary } = require("../src/cart");

describe("cart", () => {
  it("sums price times quantity", () => {
    expect(total([{ price: 2, qty: 3 }])).toBe(6);
    expect(total([])).toBe(0);
  });

  it("takes 10 percent off", () => {
    expect(applyDiscount(100, 10)).toBe(90);
  });

  it("describes the cart", () => {
    expect(summary([{ price: 2, qty: 1 }])).toEqual({ count: 1, total: 2, currency: "USD" });
  });
});
`;

const pyCart = `import pytest

from shop.cart import apply_discount, summary, total


def test_total():
    assert total([{"price": 2, "qty": 3}]) == 6


def test_apply_discount():
    assert apply_discount(100, 10) == 90


class TestSummary:
    def test_describes_the_cart(self):
        self.assertEqual(summary([]), {"count": 0})
`;

const goCart = `package cart

import (
\t"testing"

\t"github.com/stretchr/testify/assert"
)

func TestTotal(t *testing.T) {
\tassert.Equal(t, 7.0, Total([]Item{{Price: 2, Qty: 3}, {Price: 1, Qty: 1}}))
}

func TestApplyDiscount(t *testing.T) {
\tif got := ApplyDiscount(100, 10); got != 90 {
\t\tt.Errorf("ApplyDiscount(100, 10) = %v, want 90", got)
\t}
}
`;

const rubyCart = `require "cart"

RSpec.describe Cart do
  it "sums price times quantity" do
    expect(Cart.total([{ price: 2, qty: 3 }])).to eq(6)
  end

  it "takes 10 percent off" do
    expect(Cart.apply_discount(100, 10)).to eq(90)
  end
end
`;

const javaCart = `package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CartTest {
    @Test
    void takesTenPercentOff() {
        assertEquals(90, Cart.applyDiscount(100, 10));
    }
}
`;

const packageJson = (test: string, extra = "") => `{
  "name": "shop",
  "version": "1.0.0",
  "scripts": {
    "lint": "eslint .",
    "test": "${test}"
  },
  "devDependencies": {
    "jest": "^30.0.0"${extra}
  }
}
`;

const pyproject = (pytest: string, ruff: string) => `[project]
name = "shop"
version = "1.0.0"

[tool.ruff]
line-length = 100
${ruff}

[tool.pytest.ini_options]
testpaths = ["tests"]
${pytest}
`;

interface Row {
  name: string;
  before: Files;
  after: AfterFiles;
  task?: string;
  baseTestCommand?: string;
  newTestCommand?: string;
  /** Expected findings as "kind path" strings, in any order. */
  expected: string[];
  /** Substrings expected in the details, in order of `expected`'s first match. */
  detail?: RegExp;
  allowed?: boolean;
}

const J = "test/cart.test.js";
const rows: Row[] = [
  // JS / TS
  { name: "it( → it.skip(", before: { [J]: jestCart }, after: { [J]: jestCart.replace('it("takes 10', 'it.skip("takes 10') }, expected: [`skipped-test ${J}`], detail: /\.skip\( skips a test: `it\.skip\("takes 10 percent off"/ },
  { name: "describe( → describe.only( narrows the run", before: { [J]: jestCart }, after: { [J]: jestCart.replace('describe("cart"', 'describe.only("cart"') }, expected: [`skipped-test ${J}`], detail: /focuses the run/ },
  { name: "it( → xit(", before: { [J]: jestCart }, after: { [J]: jestCart.replace('it("describes', 'xit("describes') }, expected: [`skipped-test ${J}`] },
  {
    name: "a test replaced by test.todo loses its assertion",
    before: { [J]: jestCart },
    after: { [J]: jestCart.replace(/  it\("takes 10 percent off"[\s\S]*?\n  \}\);\n/, '  it.todo("takes 10 percent off");\n') },
    expected: [`skipped-test ${J}`, `removed-assertions ${J}`],
  },
  { name: "toEqual(value) → toBeDefined()", before: { [J]: jestCart }, after: { [J]: jestCart.replace('.toEqual({ count: 1, total: 2, currency: "USD" })', ".toBeDefined()") }, expected: [`weakened-assertion ${J}`], detail: /weakens `expect\(summary.*toEqual.*` to `expect\(summary.*toBeDefined\(\);`/ },
  { name: "toBe(90) → not.toBeNull()", before: { [J]: jestCart }, after: { [J]: jestCart.replace(".toBe(90)", ".not.toBeNull()") }, expected: [`weakened-assertion ${J}`] },
  { name: "toEqual(value) → toEqual(expect.anything())", before: { [J]: jestCart }, after: { [J]: jestCart.replace('{ count: 1, total: 2, currency: "USD" }', "expect.anything()") }, expected: [`weakened-assertion ${J}`] },
  { name: "assertions deleted from a kept test", before: { [J]: jestCart }, after: { [J]: jestCart.replace("    expect(total([])).toBe(0);\n", "").replace("    expect(applyDiscount(100, 10)).toBe(90);\n", "") }, expected: [`removed-assertions ${J}`], detail: /removes 2 assertion\(s\)/ },
  {
    name: "a whole test case deleted",
    before: { [J]: jestCart },
    after: { [J]: jestCart.replace(/\n  it\("takes 10 percent off"[\s\S]*?\n  \}\);\n/, "\n") },
    expected: [`removed-test ${J}`, `removed-assertions ${J}`],
    detail: /removes 1 test case\(s\), e\.g\. `it\("takes 10 percent off"/,
  },
  {
    name: "a test commented out",
    before: { [J]: jestCart },
    after: { [J]: jestCart.replace('  it("takes 10 percent off", () => {\n    expect(applyDiscount(100, 10)).toBe(90);\n  });', '  // it("takes 10 percent off", () => {\n  //   expect(applyDiscount(100, 10)).toBe(90);\n  // });') },
    expected: [`skipped-test ${J}`, `removed-test ${J}`, `removed-assertions ${J}`],
  },
  { name: "a test file deleted", before: { [J]: jestCart, "src/cart.js": "module.exports = {};\n" }, after: { [J]: null }, expected: [`deleted-test-file ${J}`] },
  { name: "a test file renamed out of the runner's pattern", before: { [J]: jestCart }, after: { "test/cart.test.js.bak": { from: J } }, expected: [`deleted-test-file ${J}`], detail: /no longer picks up/ },
  { name: "a test file moved within the pattern is fine", before: { [J]: jestCart }, after: { "test/unit/cart.test.js": { from: J } }, expected: [] },
  {
    name: "a stored snapshot rewritten",
    before: { [J]: jestCart, "test/__snapshots__/cart.test.js.snap": '// Jest Snapshot v1\n\nexports[`cart 1`] = `"USD"`;\n' },
    after: { "test/__snapshots__/cart.test.js.snap": '// Jest Snapshot v1\n\nexports[`cart 1`] = `"EUR"`;\n' },
    expected: ["modified-snapshot test/__snapshots__/cart.test.js.snap"],
  },
  {
    name: "jest config ignores a test path",
    before: { "jest.config.js": 'module.exports = {\n  testEnvironment: "node",\n};\n' },
    after: { "jest.config.js": 'module.exports = {\n  testEnvironment: "node",\n  testPathIgnorePatterns: ["/node_modules/", "cart"],\n};\n' },
    expected: ["modified-test-config jest.config.js"],
    detail: /testPathIgnorePatterns/,
  },
  { name: "package.json test script narrowed to one file", before: { "package.json": packageJson("jest") }, after: { "package.json": packageJson("jest test/format.test.js") }, expected: ["narrowed-test-command package.json"], detail: /restricts the run to `test\/format\.test\.js`/ },
  { name: "package.json test script ignores failures", before: { "package.json": packageJson("jest") }, after: { "package.json": packageJson("jest || true") }, expected: ["narrowed-test-command package.json"], detail: /ignores the exit code/ },
  { name: "package.json test script filtered by name", before: { "package.json": packageJson("jest") }, after: { "package.json": packageJson("jest --testNamePattern=total") }, expected: ["narrowed-test-command package.json"] },
  {
    name: "a one-line package.json whose test script is narrowed",
    before: { "package.json": '{ "name": "shop", "scripts": { "test": "jest" } }\n' },
    after: { "package.json": '{ "name": "shop", "scripts": { "test": "jest --passWithNoTests test/format.test.js" } }\n' },
    expected: ["narrowed-test-command package.json"],
    detail: /adds `--passWithNoTests`.*restricts the run to `test\/format\.test\.js`/,
  },
  {
    name: "a skipped test and a deleted one are told apart",
    before: { [J]: jestCart },
    after: { [J]: jestCart.replace('it("takes 10', 'it.skip("takes 10').replace(/\n  it\("describes the cart"[\s\S]*?\n  \}\);\n/, "\n") },
    expected: [`skipped-test ${J}`, `removed-test ${J}`, `removed-assertions ${J}`],
    detail: /removes 1 test case\(s\), e\.g\. `it\("describes the cart"/,
  },
  { name: "package.json dependency bump is not test tampering", before: { "package.json": packageJson("jest") }, after: { "package.json": packageJson("jest", ',\n    "left-pad": "^1.3.0"') }, expected: [] },
  { name: "vitest skipIf", before: { [J]: jestCart }, after: { [J]: jestCart.replace('it("sums', 'it.skipIf(process.env.CI)("sums') }, expected: [`skipped-test ${J}`] },
  // Python
  { name: "@pytest.mark.skip added", before: { "tests/test_cart.py": pyCart }, after: { "tests/test_cart.py": pyCart.replace("def test_apply_discount", '@pytest.mark.skip(reason="flaky")\ndef test_apply_discount') }, expected: ["skipped-test tests/test_cart.py"] },
  { name: "@pytest.mark.xfail added", before: { "tests/test_cart.py": pyCart }, after: { "tests/test_cart.py": pyCart.replace("def test_total", "@pytest.mark.xfail\ndef test_total") }, expected: ["skipped-test tests/test_cart.py"], detail: /expected to fail/ },
  { name: "pytest.skip( inside a test", before: { "tests/test_cart.py": pyCart }, after: { "tests/test_cart.py": pyCart.replace("    assert apply_discount(100, 10) == 90", '    pytest.skip("later")\n    assert apply_discount(100, 10) == 90') }, expected: ["skipped-test tests/test_cart.py"] },
  { name: "assert x == y → assert x", before: { "tests/test_cart.py": pyCart }, after: { "tests/test_cart.py": pyCart.replace("assert apply_discount(100, 10) == 90", "assert apply_discount(100, 10)") }, expected: ["weakened-assertion tests/test_cart.py"] },
  { name: "assert x == y → assert x is not None", before: { "tests/test_cart.py": pyCart }, after: { "tests/test_cart.py": pyCart.replace('assert total([{"price": 2, "qty": 3}]) == 6', 'assert total([{"price": 2, "qty": 3}]) is not None') }, expected: ["weakened-assertion tests/test_cart.py"] },
  { name: "assertEqual → assertTrue", before: { "tests/test_cart.py": pyCart }, after: { "tests/test_cart.py": pyCart.replace('self.assertEqual(summary([]), {"count": 0})', "self.assertTrue(summary([]))") }, expected: ["weakened-assertion tests/test_cart.py"] },
  { name: "a Python test function deleted", before: { "tests/test_cart.py": pyCart }, after: { "tests/test_cart.py": pyCart.replace('\n\ndef test_apply_discount():\n    assert apply_discount(100, 10) == 90\n', "") }, expected: ["removed-test tests/test_cart.py", "removed-assertions tests/test_cart.py"] },
  {
    name: "pyproject addopts deselects tests; a ruff exclude elsewhere does not count",
    before: { "pyproject.toml": pyproject("", "") },
    after: { "pyproject.toml": pyproject('addopts = "-k \'not discount\'"', 'exclude = ["build"]') },
    expected: ["modified-test-config pyproject.toml"],
    detail: /addopts/,
  },
  { name: "only a ruff setting changed in pyproject", before: { "pyproject.toml": pyproject("", "") }, after: { "pyproject.toml": pyproject("", 'exclude = ["build"]') }, expected: [] },
  { name: "conftest.py collect_ignore", before: { "tests/conftest.py": "import pytest\n" }, after: { "tests/conftest.py": 'import pytest\n\ncollect_ignore = ["test_cart.py"]\n' }, expected: ["modified-test-config tests/conftest.py"] },
  // Go
  { name: "t.Skip added", before: { "cart/cart_test.go": goCart }, after: { "cart/cart_test.go": goCart.replace("func TestApplyDiscount(t *testing.T) {\n", 'func TestApplyDiscount(t *testing.T) {\n\tt.Skip("flaky")\n') }, expected: ["skipped-test cart/cart_test.go"] },
  { name: "a build tag hides a Go test file", before: { "cart/cart_test.go": goCart }, after: { "cart/cart_test.go": `//go:build integration\n\n${goCart}` }, expected: ["skipped-test cart/cart_test.go"] },
  { name: "testify Equal → NotNil", before: { "cart/cart_test.go": goCart }, after: { "cart/cart_test.go": goCart.replace("assert.Equal(t, 7.0, Total(", "assert.NotNil(t, Total(") }, expected: ["weakened-assertion cart/cart_test.go"] },
  { name: "a Go test function deleted", before: { "cart/cart_test.go": goCart }, after: { "cart/cart_test.go": goCart.replace(/\nfunc TestApplyDiscount[\s\S]*$/, "") }, expected: ["removed-test cart/cart_test.go", "removed-assertions cart/cart_test.go"] },
  // Ruby, Java
  { name: "RSpec it → xit", before: { "spec/cart_spec.rb": rubyCart }, after: { "spec/cart_spec.rb": rubyCart.replace('  it "takes', '  xit "takes') }, expected: ["skipped-test spec/cart_spec.rb"] },
  { name: "RSpec eq → be_truthy", before: { "spec/cart_spec.rb": rubyCart }, after: { "spec/cart_spec.rb": rubyCart.replace(".to eq(90)", ".to be_truthy") }, expected: ["weakened-assertion spec/cart_spec.rb"] },
  { name: "JUnit @Disabled", before: { "src/test/java/shop/CartTest.java": javaCart }, after: { "src/test/java/shop/CartTest.java": javaCart.replace("    @Test\n", "    @Test\n    @Disabled\n") }, expected: ["skipped-test src/test/java/shop/CartTest.java"] },
  { name: "assertEquals → assertNotNull", before: { "src/test/java/shop/CartTest.java": javaCart }, after: { "src/test/java/shop/CartTest.java": javaCart.replace("assertEquals(90, Cart.applyDiscount(100, 10))", "assertNotNull(Cart.applyDiscount(100, 10))") }, expected: ["weakened-assertion src/test/java/shop/CartTest.java"] },
  // Changes that are not tampering
  { name: "a source fix", before: { "src/cart.js": "const f = (a, p) => a - (a * p) / 10;\n", [J]: jestCart }, after: { "src/cart.js": "const f = (a, p) => a - (a * p) / 100;\n" }, expected: [] },
  {
    name: "new assertions and a new test",
    before: { [J]: jestCart },
    after: { [J]: jestCart.replace("    expect(total([])).toBe(0);\n", '    expect(total([])).toBe(0);\n    expect(total([{ price: 1, qty: 0 }])).toBe(0);\n  });\n\n  it("handles coupons", () => {\n    expect(applyDiscount(10, 0)).toBe(10);\n') },
    expected: [],
  },
  { name: "tests reordered", before: { [J]: jestCart }, after: { [J]: jestCart.replace(/(  it\("takes 10[\s\S]*?\n  \}\);\n)\n(  it\("describes[\s\S]*?\n  \}\);\n)/, "$2\n$1") }, expected: [] },
  { name: "an exact assertion made stricter", before: { [J]: jestCart }, after: { [J]: jestCart.replace(".toEqual({ count: 1", ".toStrictEqual({ count: 1") }, expected: [] },
  { name: "a new test file with a skipped test is not tampering", before: { [J]: jestCart }, after: { "test/format.test.js": 'it.skip("pads", () => {\n  expect(1).toBe(1);\n});\n' }, expected: [] },
  { name: "a new test file with .only narrows everything", before: { [J]: jestCart }, after: { "test/format.test.js": 'it.only("pads", () => {\n  expect(1).toBe(1);\n});\n' }, expected: ["skipped-test test/format.test.js"] },
  // The test command
  { name: "the configured test command narrowed", before: { [J]: jestCart }, after: {}, baseTestCommand: "npm test", newTestCommand: "npm test -- -t cart", expected: ["narrowed-test-command "], detail: /adds `-t`/ },
  { name: "the configured test command changed otherwise", before: { [J]: jestCart }, after: {}, baseTestCommand: "npx jest", newTestCommand: "npx jest --coverage", expected: ["modified-test-config "] },
  {
    name: "codegen.yml test command narrowed",
    before: { ".github/codegen.yml": "commands:\n  test: go test ./...\n" },
    after: { ".github/codegen.yml": "commands:\n  test: go test ./cart/...\n" },
    expected: ["narrowed-test-command .github/codegen.yml"],
    detail: /no longer runs `\.\/\.\.\.`/,
  },
  // The task decides what is allowed
  { name: "deleting tests the task asked to delete", before: { [J]: jestCart }, after: { [J]: null }, task: "Remove the obsolete cart tests; the cart module is gone.", expected: [`deleted-test-file ${J}`], allowed: true },
  { name: "skipping a test the task asked to skip", before: { [J]: jestCart }, after: { [J]: jestCart.replace('it("takes 10', 'it.skip("takes 10') }, task: "Skip the flaky discount test until the pricing service is back.", expected: [`skipped-test ${J}`], allowed: true },
  { name: "a task to fix failing tests does not allow weakening them", before: { [J]: jestCart }, after: { [J]: jestCart.replace(".toBe(90)", ".toBeDefined()") }, task: "Fix the failing cart tests", expected: [`weakened-assertion ${J}`], allowed: false },
];

describe("detectTestTampering on real git diffs", () => {
  test.each(rows)("$name", async (row) => {
    const changes = await gitChanges(row.before, row.after);
    const findings = detectTestTampering({
      changes,
      baseTestCommand: row.baseTestCommand ?? "npm test",
      newTestCommand: row.newTestCommand,
      task: row.task ?? "Fix the discount calculation in applyDiscount",
    });
    expect(findings.map((f) => `${f.kind} ${f.path}`).sort()).toEqual([...row.expected].sort());
    if (row.detail) expect(findings.map((f) => f.detail).join("\n")).toMatch(row.detail);
    for (const f of findings) expect(f.allowedByTask).toBe(row.allowed ?? false);
    expect(blockingFindings(findings)).toHaveLength(row.allowed ? 0 : findings.length);
  });

  test("a deletion with no patch at all is still caught", () => {
    const findings = detectTestTampering({ changes: [{ path: "tests/test_cart.py", status: "deleted" }], baseTestCommand: "pytest", task: "x" });
    expect(findings.map((f) => f.kind)).toEqual(["deleted-test-file" satisfies TamperKind]);
  });
});
