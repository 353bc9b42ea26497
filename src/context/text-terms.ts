/**
 * Terms for lexical search: identifiers are split at camelCase, snake_case, kebab-case and digit boundaries
 * so that prose ("time zone offset") meets code (`utcOffset`, `time_zone`). Written by hand because the
 * search libraries on npm tokenise prose and know nothing about identifiers; it is a few regexes.
 */

/** English function words and the few keywords every file of a language repeats; they carry no signal. */
const STOPWORDS = new Set(
  (
    "a an and are as at be been but by can could did do does doing done for from had has have having he her his how i " +
    "if in into is it its just me my no not of on or our out over she so some than that the their them then there these " +
    "they this those to too under up us very was we were what when where which while who why will with would you your " +
    "also am any because before after both each few more most other own same should only such again further here once " +
    "all get got use used using like want wants need needs make makes try tried seems seem still even way thing things " +
    "let var const return function def end true false null nil none undefined new self"
  ).split(" "),
);

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*|[0-9]+/g;

/** Split one identifier into lower-case parts: `parseHTTPResponse2_code` → parse, http, response, 2, code. */
export function splitIdentifier(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .replace(/([0-9])([A-Za-z])/g, "$1 $2")
    .split(/[\s_$-]+/)
    .filter(Boolean)
    .map((part) => part.toLowerCase());
}

/**
 * A light suffix stripper (plural, -ing, -ed, final e) so "formatting", "formats" and "format" meet, and
 * "parse", "parsed" and "parsing" too. Stems need not be words; they only need to agree.
 */
export function stem(word: string): string {
  let w = word;
  let verb = false;
  if (w.length > 5 && w.endsWith("ies")) return w.slice(0, -3) + "y";
  if (w.length > 6 && w.endsWith("ing")) [w, verb] = [w.slice(0, -3), true];
  else if (w.length > 4 && w.endsWith("ed") && !w.endsWith("eed")) [w, verb] = [w.slice(0, -2), true];
  else if (w.length > 3 && w.endsWith("es") && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  if (verb && w.length > 4 && /([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

function keep(term: string): boolean {
  return term.length >= 2 && term.length <= 40 && !STOPWORDS.has(term) && !/^[0-9]+$/.test(term);
}

/** Terms per identifier, memoised: identifiers repeat heavily across a repository and splitting is the hot path. */
const identifierTerms = new Map<string, readonly string[]>();
const MEMO_LIMIT = 500_000;

function termsOfIdentifier(identifier: string): readonly string[] {
  let terms = identifierTerms.get(identifier);
  if (terms) return terms;
  const out: string[] = [];
  const parts = splitIdentifier(identifier);
  for (const part of parts) {
    // Stop words are checked before stemming too: "there" and "before" stem to "ther" and "befor".
    if (STOPWORDS.has(part)) continue;
    const term = stem(part);
    if (keep(term)) out.push(term);
  }
  if (parts.length > 1) {
    const whole = identifier.toLowerCase().replace(/[$]/g, "");
    if (whole.length >= 4 && whole.length <= 40) out.push(whole);
  }
  terms = out;
  if (identifierTerms.size >= MEMO_LIMIT) identifierTerms.clear();
  identifierTerms.set(identifier, terms);
  return terms;
}

/**
 * Terms of a text: each identifier gives its stemmed parts, and a compound identifier also gives itself whole
 * (lower-cased), so an exact mention of `toISOString` scores above its parts scattered over a file.
 */
export function termsOf(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.matchAll(IDENTIFIER)) {
    const identifier = match[0];
    if (identifier.length > 80) continue;
    for (const term of termsOfIdentifier(identifier)) terms.push(term);
  }
  return terms;
}

/** Term frequencies of a text. */
export function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(IDENTIFIER)) {
    if (match[0].length > 80) continue;
    for (const term of termsOfIdentifier(match[0])) counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return counts;
}

/** Terms of a path: every directory and the file name, split like identifiers, extension dropped. */
export function pathTerms(path: string): string[] {
  const withoutExtension = path.replace(/\.[A-Za-z0-9]+$/, "");
  return termsOf(withoutExtension.replace(/[/.\\-]/g, " "));
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase());
}
