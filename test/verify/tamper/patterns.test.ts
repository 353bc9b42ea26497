import { assertionClaim, isAssertion, isTestDeclaration } from "../../../src/verify/tamper/patterns.js";
import type { TestLanguage } from "../../../src/verify/tamper/test-files.js";
import { isSnapshotFile, isTestConfigFile, isTestFile } from "../../../src/verify/tamper/test-files.js";

describe("assertionClaim", () => {
  test.each<[TestLanguage, string, number, string]>([
    ["js", "expect(total(items)).toBe(7);", 3, "total(items)"],
    ["js", "expect(summary(x)).toEqual({ a: 1 });", 3, "summary(x)"],
    ["js", "expect(summary(x)).toMatchObject({ a: 1 });", 2, "summary(x)"],
    ["js", "expect(summary(x)).toBeDefined();", 1, "summary(x)"],
    ["js", "expect(result).not.toBeNull();", 1, "result"],
    ["js", "expect(result).not.toBe(3);", 1, "result"],
    ["js", "expect(() => parse('x')).toThrow(TypeError);", 3, "()=>parse('x')"],
    ["js", "expect(() => parse('x')).toThrow();", 1, "()=>parse('x')"],
    ["js", "expect(fn).toHaveBeenCalledWith(1, 2);", 3, "fn"],
    ["js", "expect(fn).toHaveBeenCalled();", 2, "fn"],
    ["js", "expect(x).toEqual(expect.anything());", 1, "x"],
    ["js", "expect(x).to.deep.equal({ a: 1 });", 3, "x"],
    ["js", "expect(x).to.exist;", 1, "x"],
    ["js", "assert.strictEqual(total(items), 7);", 3, "total(items)"],
    ["js", "assert.ok(total(items));", 1, "total(items)"],
    ["js", "assert(total(items));", 1, "total(items)"],
    ["python", "assert total(items) == 7", 3, "total(items)"],
    ["python", "assert total(items) == 7, 'total, as documented'", 3, "total(items)"],
    ["python", "assert total(items)", 1, "total(items)"],
    ["python", "assert total(items) is not None", 1, "total(items)"],
    ["python", "assert 7 in totals", 2, "7"],
    ["python", "assert total(items) == pytest.approx(7)", 2, "total(items)"],
    ["python", "self.assertEqual(total(items), 7)", 3, "total(items)"],
    ["python", "self.assertTrue(total(items))", 1, "total(items)"],
    ["python", "self.assertIn(7, totals)", 2, "7"],
    ["go", "assert.Equal(t, 7.0, Total(items))", 3, "7.0"],
    ["go", "require.NotNil(t, Total(items))", 1, "Total(items)"],
    ["ruby", "expect(cart.total).to eq(7)", 3, "cart.total"],
    ["ruby", "expect(cart.total).to be_truthy", 1, "cart.total"],
    ["jvm", "assertEquals(90, Cart.applyDiscount(100, 10));", 3, "90"],
    ["jvm", "assertNotNull(Cart.applyDiscount(100, 10));", 1, "Cart.applyDiscount(100,10)"],
    ["jvm", "assertThat(cart.total()).isEqualTo(7);", 3, "cart.total()"],
    ["jvm", "assertThat(cart.total()).isNotNull();", 1, "cart.total()"],
  ])("%s: %s → level %d on %s", (language, line, level, subject) => {
    expect(assertionClaim(line, language)).toMatchObject({ level, subject });
  });

  test("lines that are not assertions have no claim", () => {
    expect(assertionClaim("const total = items.reduce(add, 0);", "js")).toBeNull();
  });
});

describe("test declarations and assertions", () => {
  test.each<[TestLanguage, string, boolean]>([
    ["js", 'it("adds", () => {', true],
    ["js", "test.each([1, 2])('adds %d', (n) => {", true],
    ["js", 'it.skip("adds", () => {', true],
    ["js", "if (/x/.test(value)) {", false],
    ["python", "def test_total():", true],
    ["python", "    async def test_total(self):", true],
    ["python", "def helper():", false],
    ["go", "func TestTotal(t *testing.T) {", true],
    ["go", "func helper(t *testing.T) {", false],
    ["ruby", '  it "sums" do', true],
    ["jvm", "    @Test", true],
  ])("%s: %j is a declaration: %s", (language, line, expected) => {
    expect(isTestDeclaration(line, language)).toBe(expected);
  });

  test.each<[TestLanguage, string, boolean]>([
    ["js", "  expect(x).toBe(1);", true],
    ["js", "  const expected = 1;", false],
    ["python", "    assert x == 1", true],
    ["python", "    assertion = build()", false],
    ["go", '\t\tt.Errorf("got %v", got)', true],
    ["go", "\tgot := Total(items)", false],
  ])("%s: %j is an assertion: %s", (language, line, expected) => {
    expect(isAssertion(line, language)).toBe(expected);
  });
});

describe("test file recognition", () => {
  test.each([
    ["test/cart.test.js", true],
    ["src/cart.spec.ts", true],
    ["src/__tests__/cart.tsx", true],
    ["tests/test_cart.py", true],
    ["pkg/cart/cart_test.go", true],
    ["spec/models/cart_spec.rb", true],
    ["src/test/java/shop/CartTest.java", true],
    ["app/src/main/java/shop/Cart.java", false],
    ["src/cart.js", false],
    ["test/fixtures/cart.json", false],
    ["tests/fixtures/data.py", false],
    ["test/__snapshots__/cart.test.js.snap", false],
  ])("%s is a test file: %s", (path, expected) => {
    expect(isTestFile(path)).toBe(expected);
  });

  test("snapshots and test configuration", () => {
    expect(isSnapshotFile("test/__snapshots__/cart.test.js.snap")).toBe(true);
    expect(isSnapshotFile("test/cart.test.js")).toBe(false);
    for (const path of ["jest.config.ts", "vitest.config.mts", ".mocharc.yml", "pytest.ini", "pyproject.toml", "tests/conftest.py", "package.json", ".github/codegen.yml"]) {
      expect(isTestConfigFile(path)).toBe(true);
    }
    expect(isTestConfigFile("src/config.ts")).toBe(false);
  });
});
