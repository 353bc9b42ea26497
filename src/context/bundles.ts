/**
 * Build output committed beside its sources: `moment.js` and `min/moment-with-locales.js` rolled up from
 * `src/`, Chart.js 1's `Chart.js` concatenated from `src/Chart.*.js`, a library's `lib/x.umd.js`. Nothing in the
 * path or the first lines says so, yet such a file matches every issue about any of its sources and pushes them
 * down; a fix belongs in the source, and the build regenerates the bundle. A bundle is told by its content: it
 * holds, line for line, several other files of the repository, and they make up most of it.
 */

/** Lines shorter than this (after trimming) are braces, `return x;` and the like: every file has them. */
const MIN_LINE_LENGTH = 16;
/** A line found in more files than this is boilerplate (a license header), not evidence of copying. */
const MAX_FILES_PER_LINE = 6;
/** A file needs this many distinctive lines before it can count as copied into another. */
const MIN_FILE_LINES = 5;
/** Share of a file's distinctive lines that must appear in the bundle for the file to count as copied in. */
const CONTAINED_SHARE = 0.6;
/** A bundle holds at least this many other files... */
const MIN_CONTAINED_FILES = 3;
/** ...which make up at least this share of its distinctive lines (unless it holds many of them)... */
const BUNDLE_COVERAGE = 0.5;
/** ...and it is clearly larger than each of them (two copies of one file are not a bundle of each other). */
const LARGER_THAN_EACH = 1.2;
/**
 * A file holding this many others is a bundle however little of it they make up: a browser build that inlines
 * its dependencies (knex's `build/knex.js` holds 17 of its sources beside lodash and bluebird).
 */
const MANY_CONTAINED_FILES = 10;
/**
 * Only where a build's output is itself source can it be committed as source: JavaScript and TypeScript bundles,
 * C and C++ amalgamations (Catch2's `catch_amalgamated.cpp`, nlohmann's `single_include/json.hpp`). Elsewhere a
 * file holding parts of three others is code written that way: koin's Multiplatform `NavViewModel.kt`, ported
 * from its Android and Compose files, assertj's `Assertions.java` facade, dbal's per-driver converters.
 */
const BUNDLE_LANGUAGE = /\.([cm]?[jt]sx?|c|cc|cpp|cxx|h|hh|hpp|hxx)$/i;

/**
 * A 32-bit FNV-1a hash of a line. Written by hand because only a set-membership key is needed, per line of every
 * source file, and a cryptographic hash from node:crypto costs far more for no benefit; a rare collision only
 * adds one shared line.
 */
function lineHash(line: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < line.length; i++) {
    hash ^= line.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Imports are what a build removes, and lines without code punctuation are lists (a union type's `| Name` lines,
 * which an umbrella type repeats from its parts): neither tells a bundle.
 */
const IMPORT_LINE = /^(import\b|export\b.*\bfrom\b|from\s+\S+\s+import\b|#\s*include\b|using\s|use\s|require\b)|\brequire\s*\(/;
const CODE_PUNCTUATION = /[(){}=;:]/;

/** The distinct long lines of code of a file, hashed: what is compared between files. */
export function distinctiveLines(content: string): Uint32Array {
  const hashes = new Set<number>();
  for (const raw of content.split("\n")) {
    const line = raw.trim();
    if (line.length >= MIN_LINE_LENGTH && CODE_PUNCTUATION.test(line) && !IMPORT_LINE.test(line)) hashes.add(lineHash(line));
  }
  return Uint32Array.from(hashes);
}

export interface Bundle {
  path: string;
  /** The files it holds, largest share of it first. */
  contains: string[];
}

/** The files that are bundles of other files, given each file's `distinctiveLines`. Pure. */
export function findBundles(linesByPath: ReadonlyMap<string, Uint32Array>): Bundle[] {
  const paths = [...linesByPath.keys()];
  const holders = new Map<number, number[]>();
  paths.forEach((path, id) => {
    for (const hash of linesByPath.get(path)!) {
      const list = holders.get(hash);
      if (list) list.push(id);
      else holders.set(hash, [id]);
    }
  });
  // Per file, the files holding each of its lines, boilerplate (lines in too many files) left out.
  const lineHolders = paths.map((path) => [...linesByPath.get(path)!].map((hash) => holders.get(hash)!).filter((list) => list.length <= MAX_FILES_PER_LINE));

  const bundles: Bundle[] = [];
  paths.forEach((path, id) => {
    if (!BUNDLE_LANGUAGE.test(path)) return;
    const own = lineHolders[id].length;
    if (own < MIN_FILE_LINES * MIN_CONTAINED_FILES) return;
    const shared = new Map<number, number>();
    for (const list of lineHolders[id]) for (const other of list) if (other !== id) shared.set(other, (shared.get(other) ?? 0) + 1);
    const contained = new Set<number>();
    for (const [other, count] of shared) {
      const size = lineHolders[other].length;
      if (size >= MIN_FILE_LINES && count >= CONTAINED_SHARE * size && own >= LARGER_THAN_EACH * size) contained.add(other);
    }
    if (contained.size < MIN_CONTAINED_FILES) return;
    const covered = lineHolders[id].filter((list) => list.some((other) => contained.has(other))).length;
    if (contained.size < MANY_CONTAINED_FILES && covered < BUNDLE_COVERAGE * own) return;
    const order = [...contained].sort((a, b) => shared.get(b)! - shared.get(a)! || paths[a].localeCompare(paths[b]));
    bundles.push({ path, contains: order.map((other) => paths[other]) });
  });
  return bundles;
}
