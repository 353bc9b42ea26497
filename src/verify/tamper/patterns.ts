import type { TestLanguage } from "./test-files.js";

/**
 * Line-level patterns for test code: skip/focus markers, assertions (and how strong a claim each makes),
 * and test declarations. They work on single diff lines, so they are regular expressions rather than a
 * parser: a diff hunk is rarely a complete syntax tree, and the languages differ.
 */

export interface SkipMarker {
  /** Short label used in findings, e.g. "it.skip(". */
  label: string;
  pattern: RegExp;
  /** "focus" markers (`.only`) skip every other test in the run. */
  effect: "skip" | "focus" | "expected-failure";
}

const JS_MARKERS: SkipMarker[] = [
  { label: ".skip(", pattern: /(?<![\w.])(it|test|describe|context|suite|specify|bench)\.skip\s*\(/, effect: "skip" },
  { label: ".skipIf(", pattern: /(?<![\w.])(it|test|describe|suite)\.(skipIf|runIf)\s*\(/, effect: "skip" },
  { label: "xit( / xdescribe(", pattern: /(?<![\w.])(xit|xtest|xdescribe|xcontext|xspecify|xsuite)\s*\(/, effect: "skip" },
  { label: ".todo(", pattern: /(?<![\w.])(it|test|describe)\.todo\s*\(/, effect: "skip" },
  { label: "this.skip()", pattern: /\b(this|ctx|context|t)\.skip\s*\(/, effect: "skip" },
  { label: "{ skip: … }", pattern: /[{,]\s*(skip|todo)\s*:\s*(true|['"`])/, effect: "skip" },
  { label: ".only(", pattern: /(?<![\w.])(it|test|describe|context|suite|specify)\.only\s*\(/, effect: "focus" },
  { label: "fit( / fdescribe(", pattern: /(?<![\w.])(fit|fdescribe|ftest|fcontext)\s*\(/, effect: "focus" },
  { label: "{ only: true }", pattern: /[{,]\s*only\s*:\s*true\b/, effect: "focus" },
  { label: ".failing(", pattern: /(?<![\w.])(it|test)\.failing\s*\(/, effect: "expected-failure" },
];

const PYTHON_MARKERS: SkipMarker[] = [
  { label: "@pytest.mark.skip", pattern: /@pytest\.mark\.skip(if)?\b/, effect: "skip" },
  { label: "@pytest.mark.xfail", pattern: /@pytest\.mark\.xfail\b/, effect: "expected-failure" },
  { label: "pytest.skip(", pattern: /\bpytest\.skip\s*\(/, effect: "skip" },
  { label: "pytest.xfail(", pattern: /\bpytest\.xfail\s*\(/, effect: "expected-failure" },
  { label: "@unittest.skip", pattern: /@(unittest\.)?skip(If|Unless)?\s*\(/, effect: "skip" },
  { label: "@unittest.expectedFailure", pattern: /@(unittest\.)?expectedFailure\b/, effect: "expected-failure" },
  { label: "skipTest(", pattern: /\.skipTest\s*\(|\braise\s+(unittest\.)?SkipTest\b/, effect: "skip" },
  { label: "pytestmark = skip", pattern: /^\s*pytestmark\s*=.*\b(skip|xfail)/, effect: "skip" },
];

const GO_MARKERS: SkipMarker[] = [
  { label: "t.Skip(", pattern: /\b\w+\.(Skip|Skipf|SkipNow)\s*\(/, effect: "skip" },
  { label: "//go:build tag", pattern: /^\s*(\/\/go:build\s|\/\/\s*\+build\s)/, effect: "skip" },
];

const RUBY_MARKERS: SkipMarker[] = [
  { label: "xit / xdescribe", pattern: /^\s*(xit|xspecify|xexample|xdescribe|xcontext|xscenario)\b/, effect: "skip" },
  { label: "skip", pattern: /^\s*skip\b(?!\s*[=:])|,\s*:?skip\s*(=>|:)\s*/, effect: "skip" },
  { label: "pending", pattern: /^\s*pending\b(?!\s*[=:])|,\s*:?pending\s*(=>|:)\s*/, effect: "expected-failure" },
  { label: "fit / fdescribe / focus", pattern: /^\s*(fit|fdescribe|fcontext|fspecify)\b|,\s*:?focus\s*(=>|:)\s*true/, effect: "focus" },
];

const JVM_MARKERS: SkipMarker[] = [
  { label: "@Disabled", pattern: /@Disabled(If|OnOs|OnJre)?\b/, effect: "skip" },
  { label: "@Ignore", pattern: /@Ignore\b/, effect: "skip" },
  { label: "assumeTrue(false)", pattern: /\bassume(True|That)\s*\(\s*false\s*\)/, effect: "skip" },
];

const OTHER_MARKERS: SkipMarker[] = [
  { label: "#[ignore]", pattern: /#\[ignore\b/, effect: "skip" },
  { label: "Skip =", pattern: /\[(Fact|Theory|Test)\s*\(\s*Skip\s*=/, effect: "skip" },
  { label: "[Ignore]", pattern: /\[Ignore\b/, effect: "skip" },
  { label: "markTestSkipped(", pattern: /\bmarkTest(Skipped|Incomplete)\s*\(/, effect: "skip" },
];

export function skipMarkers(language: TestLanguage): SkipMarker[] {
  switch (language) {
    case "js":
      return JS_MARKERS;
    case "python":
      return PYTHON_MARKERS;
    case "go":
      return GO_MARKERS;
    case "ruby":
      return RUBY_MARKERS;
    case "jvm":
      return JVM_MARKERS;
    default:
      return [...JS_MARKERS, ...PYTHON_MARKERS, ...OTHER_MARKERS];
  }
}

/** Test declarations: a net loss of these in a kept test file means tests were removed. */
const DECLARATIONS: Record<TestLanguage, RegExp> = {
  js: /(?<![\w.])[xf]?(it|test|specify)(\.(skip|only|todo|concurrent|failing|skipIf\(.*?\)|runIf\(.*?\)|each\s*\(.*?\)|each`[^`]*`))*\s*\(\s*['"`]/,
  python: /^\s*(async\s+)?def\s+test\w*\s*\(/,
  go: /^func\s+(Test|Fuzz|Example)\w*\s*\(/,
  ruby: /^\s*[xf]?(it|specify|example|scenario|test)\b\s*(\(|['"]|do\b|\{)/,
  jvm: /@(Test|ParameterizedTest|RepeatedTest|TestFactory)\b/,
  other: /(?<![\w.])(it|test)\s*\(\s*['"`]|^\s*def\s+test\w*\s*\(|^func\s+Test\w*\s*\(|#\[test\]|\[(Fact|Theory|Test)\]/,
};

export function isTestDeclaration(line: string, language: TestLanguage): boolean {
  return DECLARATIONS[language].test(line);
}

/** Lines that assert something. */
const ASSERTIONS: Record<TestLanguage, RegExp> = {
  js: /(?<![\w.])expect\s*\(|(?<![\w.])assert(\.\w+)?\s*\(|\.should\b|(?<![\w.])t\.(is|not|deepEqual|notDeepEqual|true|false|truthy|falsy|throws|throwsAsync|notThrows|equal|strictEqual|same|match|ok|notOk|assert|regex)\s*\(|\bexpectTypeOf\s*\(/,
  python: /^\s*assert\b|\bself\.assert\w+\s*\(|\bself\.fail\w*\s*\(|\bpytest\.(raises|warns|approx)\s*\(|\bnp\.testing\.assert_\w+\s*\(|\bassert_\w+\s*\(/,
  go: /\b\w+\.(Error|Errorf|Fatal|Fatalf|Fail|FailNow)\s*\(|\b(assert|require)\.\w+\s*\(|\bif\s+.*(!=|==|!reflect\.DeepEqual|cmp\.Diff)/,
  ruby: /\bexpect\s*[({]|\bassert(_\w+)?\b|\brefute(_\w+)?\b|\.(should|must)(_not)?\b/,
  jvm: /\bassert\w*\s*\(|\bassertThat\s*\(|\bverify\s*\(|\bfail\s*\(/,
  other: /\bexpect\s*\(|\bassert\w*!?\s*\(|^\s*assert\b/,
};

export function isAssertion(line: string, language: TestLanguage): boolean {
  return ASSERTIONS[language].test(line);
}

/**
 * How strong a claim an assertion makes: 3 = an exact value (toEqual, ==, assertEquals), 2 = a partial
 * or range claim (toContain, toMatchObject, in, >, approx), 1 = barely anything (toBeDefined, truthy,
 * is not None, assertNotNull, a negation). Weakening = the same subject asserted with a lower level.
 */
export interface AssertionClaim {
  level: 1 | 2 | 3;
  subject: string;
  matcher: string;
}

const EXACT = new Set([
  // jest / vitest / chai / node:assert
  "toBe", "toEqual", "toStrictEqual", "toMatchSnapshot", "toMatchInlineSnapshot", "toMatchFileSnapshot",
  "toHaveBeenCalledWith", "toHaveBeenLastCalledWith", "toHaveBeenNthCalledWith", "toHaveBeenCalledTimes",
  "toHaveBeenCalledExactlyOnceWith", "toHaveReturnedWith", "toHaveLength", "toBeNull", "toBeUndefined", "toBeNaN",
  "toThrow", "toThrowError", "toThrowErrorMatchingSnapshot", "toThrowErrorMatchingInlineSnapshot", "rejects.toThrow",
  "equal", "equals", "eq", "eql", "strictEqual", "deepStrictEqual", "deepEqual", "notStrictEqual", "calledWith",
  "calledOnceWith", "calledWithExactly", "lengthOf", "throw", "throws", "rejects", "is", "same",
  // Python unittest / pytest
  "assertEqual", "assertEquals", "assertListEqual", "assertDictEqual", "assertTupleEqual", "assertSetEqual",
  "assertSequenceEqual", "assertMultiLineEqual", "assertCountEqual", "assertIs", "assertIsNone", "assertRaisesRegex",
  "assertWarnsRegex", "assert_called_once_with", "assert_called_with", "assert_has_calls", "assert_array_equal",
  "assert_frame_equal", "assert_series_equal",
  // Go testify
  "Equal", "EqualValues", "Exactly", "ElementsMatch", "JSONEq", "YAMLEq", "EqualError", "Nil", "Len", "ErrorIs",
  "ErrorAs", "Same", "Empty", "Zero", "Panics", "PanicsWithValue", "PanicsWithError",
  // JVM
  "assertArrayEquals", "assertSame", "assertNull", "assertThrows", "assertIterableEquals", "assertLinesMatch",
  "isEqualTo", "containsExactly", "containsExactlyInAnyOrder", "hasSize", "isNull", "isSameAs", "hasMessage",
  // RSpec / minitest
  "assert_equal", "assert_nil", "assert_raises", "match_array", "contain_exactly", "raise_error", "have_attributes",
]);

const PARTIAL = new Set([
  "toMatchObject", "toContain", "toContainEqual", "toHaveProperty", "toBeCloseTo", "toMatch", "toBeGreaterThan",
  "toBeGreaterThanOrEqual", "toBeLessThan", "toBeLessThanOrEqual", "toHaveBeenCalled", "toHaveBeenCalledOnce",
  "toHaveReturned", "toBeInstanceOf", "toBeTypeOf", "toSatisfy", "toHaveBeenCalledBefore", "objectContaining",
  "arrayContaining", "stringContaining", "stringMatching", "include", "includes", "contain", "contains", "match",
  "above", "below", "within", "least", "most", "instanceOf", "instanceof", "property", "keys", "members", "oneOf",
  "closeTo", "approximately", "called", "calledOnce", "notEqual", "notDeepEqual", "notDeepStrictEqual",
  "assertIn", "assertNotIn", "assertAlmostEqual", "assertNotAlmostEqual", "assertGreater", "assertGreaterEqual",
  "assertLess", "assertLessEqual", "assertIsInstance", "assertRegex", "assertRaises", "assertWarns", "assertLogs",
  "assertNotEqual", "assert_called_once", "assert_called", "assert_any_call", "assert_allclose",
  "Contains", "NotContains", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "InDelta", "InEpsilon",
  "ErrorContains", "IsType", "Subset", "Regexp", "Implements", "NoError", "NotEqual", "Positive", "Negative",
  "WithinDuration", "contains", "isGreaterThan", "isLessThan", "isInstanceOf", "startsWith", "endsWith",
  "containsKey", "hasMessageContaining", "isBetween", "assert_includes", "assert_match", "assert_in_delta",
  "assert_kind_of", "assert_instance_of", "be_within", "be_a", "be_an", "be_kind_of", "be_instance_of", "start_with",
  "end_with", "have_key", "respond_to",
]);

const LOOSE = new Set([
  "toBeDefined", "toBeTruthy", "toBeFalsy", "anything", "exist", "ok", "true", "false", "defined", "notNull",
  "assertTrue", "assertFalse", "assertIsNotNone", "assertNotNull", "assertNotNone", "True", "False", "NotNil",
  "NotEmpty", "NotZero", "Error", "Condition", "isNotNull", "isNotEmpty", "isTrue", "isFalse", "assert", "refute",
  "be_truthy", "be_falsey", "be_present", "be", "assert_not_nil", "not_to_be_nil", "notOk", "truthy", "falsy",
]);

function levelOf(matcher: string): 1 | 2 | 3 | null {
  if (EXACT.has(matcher)) return 3;
  if (PARTIAL.has(matcher)) return 2;
  if (LOOSE.has(matcher)) return 1;
  return null;
}

/** The text inside the parentheses that open at `open` (which must be a "("), or "" when unbalanced. */
function balanced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** Text up to the first comma outside brackets and string literals (a call's first argument). */
function firstArgument(args: string): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) return args.slice(0, i);
  }
  return args;
}

const squash = (s: string) => s.replace(/\s+/g, "").replace(/;$/, "");

export function assertionClaim(line: string, language: TestLanguage): AssertionClaim | null {
  const text = line.trim();
  if (language === "python") {
    const bare = /^assert\s+(.*)$/.exec(text);
    if (bare) {
      // `assert expr, "message"`: the message is not part of the claim.
      const expr = firstArgument(bare[1]);
      const op = /\s(==|!=|is not|is|not in|in|<=|>=|<|>)\s/.exec(expr);
      if (!op) return { level: /\bapprox\(/.test(expr) ? 2 : 1, subject: squash(expr), matcher: "assert" };
      const subject = squash(expr.slice(0, op.index));
      const rhs = expr.slice(op.index + op[0].length).trim();
      if (op[1] === "is not" && rhs === "None") return { level: 1, subject, matcher: "is not None" };
      if (/^(==|!=|is)$/.test(op[1]) && !/\bapprox\(|\bANY\b/.test(rhs)) return { level: op[1] === "!=" ? 1 : 3, subject, matcher: op[1] };
      return { level: 2, subject, matcher: op[1] };
    }
  }
  // Negations claim little whatever the matcher: `.not.toBe(x)`, `.to.not.equal`, `not_to`.
  const negated = /\.not\.|\.to\.not\b|\.not_to\b|\.to_not\b|\bassertNot(?!Equal|In|AlmostEqual)/.test(text);
  // `expect(subject)…matcher(args)`: the last call in the chain is the matcher.
  const expectAt = text.search(/(?<![\w.])(expect|assertThat|expectThat)\s*\(/);
  if (expectAt >= 0) {
    const open = text.indexOf("(", expectAt);
    const subject = squash(balanced(text, open));
    const rest = text.slice(open + subject.length);
    // RSpec: `expect(x).to eq(1)`; everything else chains with dots: `expect(x).toBe(1)`, `.isEqualTo(1)`.
    const rspec = /\.(?:to|not_to|to_not)\s+(\w+)\s*(\(|$|\s)/.exec(rest);
    const calls = rspec ? [Object.assign([`.${rspec[1]}(`, rspec[1]], { index: rspec.index + rspec[0].indexOf(rspec[1]) - 1 })] : [...rest.matchAll(/\.(\w+)\s*\(/g)];
    const last = calls.length > 0 ? calls[calls.length - 1] : null;
    const chainWords = [...rest.matchAll(/\.(\w+)\b(?!\s*\()/g)].map((m) => m[1]);
    const matcher = last?.[1] ?? chainWords[chainWords.length - 1] ?? "";
    const argsOpen = last ? rest.indexOf("(", last.index) : -1;
    const args = argsOpen >= 0 ? balanced(rest, argsOpen).trim() : "";
    let level = levelOf(matcher) ?? (chainWords.some((w) => levelOf(w) !== null) ? levelOf(chainWords.find((w) => levelOf(w) !== null)!)! : null);
    if (level === null) return null;
    if (/^toThrow(Error)?$|^throw$|^raise_error$/.test(matcher) && args === "") level = 1;
    if (/expect\.(anything|any)\s*\(/.test(args) || /^(anything|any_args)\b/.test(args)) level = 1;
    if (negated) level = 1;
    return { level, subject, matcher: `${negated ? "not." : ""}${matcher}` };
  }
  // `assert.strictEqual(a, b)`, `self.assertEqual(a, b)`, `assert.Equal(t, a, b)`, `assertEquals(a, b)`.
  const call = /(?:^|[^\w.])(?:(assert|require|self|t|Assertions|Assert)\.)?(assert\w*|refute\w*|[A-Z]\w*|ok|equal|strictEqual|deepStrictEqual|deepEqual|notEqual|throws|rejects|match)\s*\(/.exec(text);
  if (call) {
    const matcher = call[1] === undefined && call[2] === "assert" ? "assert" : call[2];
    let level = levelOf(matcher);
    if (level === null) return null;
    const open = call.index + call[0].length - 1;
    const args = balanced(text, open);
    // testify passes `t` first.
    const parts = args.split(",");
    const subjectArg = /^(t|s\.T\(\))$/.test(parts[0]?.trim() ?? "") ? args.slice(args.indexOf(",") + 1) : args;
    if (matcher === "assert" && call[1] === undefined) level = 1;
    if (matcher === "throws" && parts.length < 2) level = 1;
    if (negated) level = 1;
    return { level, subject: squash(firstArgument(subjectArg)), matcher };
  }
  return null;
}
