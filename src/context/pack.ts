import { posix } from "node:path";
import type { ModuleResolver } from "./module-resolver.js";
import { excerptFile } from "./excerpt.js";
import { renderFileBlock, renderRepoMapBlock } from "./prompt-format.js";
import { lineWindowChunks, type IndexedFile, type RepoIndex } from "./repo-index.js";
import { Bm25, queryTerms } from "./signals/bm25.js";
import { countTokens } from "./token-count.js";
import type { ContextSelection, ExcerptRole, IncludedFile, IncludedRole, RankedFile } from "./types.js";

/**
 * Shares of the budget, in order of filling; what one stage leaves is available to the next. The targets come
 * first and take most of it: a test or a declaration file helps the model only if the file it belongs to is
 * there, and the benchmark (bench/localize) showed that reserving a quarter for them cost more recall of the
 * files a fix changes than it brought.
 */
export const BUDGET_SHARES = { targets: 0.75, tests: 0.1, types: 0.05 } as const;
/** Files whose score is below this share of the best are not worth their tokens as whole files. */
const MIN_RELATIVE_SCORE = 0.1;
const MAX_TARGETS = 15;
/**
 * What the targets, tests, types and excerpts leave goes to further files down to this share of the best score,
 * before the map takes the rest: the map used to take all of it, even at 32k tokens where whole files the fix
 * needed would have fit.
 */
const FILL_MIN_RELATIVE_SCORE = 0.02;
const FILL_MAX_TARGETS = 40;
/**
 * The best few files may use the whole budget but the map's minimum: without them nothing else helps. A 5% minimum
 * kept out files that fitted only in its last 3% (bluebird's `src/promise.js` beside `src/debuggability.js` at 16k);
 * at 2% the prompt holds more of the files fixes change within 16k and 32k tokens (bench/localize, round 12).
 */
const CORE_TARGETS = 5;
export const CORE_SHARE = 0.98;
export const MAX_TESTS = 6;
/** Less room than this for a test's excerpt is not worth a part of it. */
const MIN_TEST_EXCERPT_TOKENS = 200;
/** A test's excerpt is made of windows this long: a test case is a few lines, and the tests' share is small. */
const TEST_WINDOW_LINES = 30;
const MAX_TYPES = 6;
/** A best-ranked file too large for the budget is excerpted within this share of it. */
const EXCERPT_SHARE = 0.35;
/** The least share the best file's excerpt keeps when it makes room for the second file (below). */
const MIN_EXCERPT_SHARE = 0.1;
/** Files in the map that also list their definitions; the rest are listed by path. */
const MAP_FILES_WITH_DEFS = 40;
const MAP_DEFS_PER_FILE = 8;

export interface PackInput {
  index: RepoIndex;
  ranked: RankedFile[];
  resolver: ModuleResolver;
  budget: number;
  /** Reads a file's text (from the clone; no symlinks); undefined when it cannot be read. */
  read: (path: string) => Promise<string | undefined>;
  /** The task text: when given, a best-ranked file too large to include whole is included as an excerpt. */
  task?: string;
}

function namesOf(path: string): string[] {
  const base = posix.basename(path).replace(/\..*$/, "");
  const names = [base.toLowerCase()];
  if (/^(index|__init__|mod|main)$/.test(base) && path.includes("/")) names.push(posix.basename(posix.dirname(path)).toLowerCase());
  return names;
}

/** Names that say a file is a test but not of what: its folder says that (date-fns's `src/parse/test.js`). */
const GENERIC_TEST_NAMES = new Set(["test", "tests", "spec", "specs", "index"]);

function testSubject(path: string): string {
  const subject = posix
    .basename(path)
    .replace(/\.(test|spec|tests|specs|e2e)(?=\.)/i, "")
    .replace(/(_test|_spec|TestCase|Tests|Test|Spec|IT)(?=\.)/, "")
    .replace(/^test_/, "")
    .replace(/\..*$/, "")
    .toLowerCase();
  return GENERIC_TEST_NAMES.has(subject) && path.includes("/") ? posix.basename(posix.dirname(path)).toLowerCase() : subject;
}

/**
 * A target imported by more tests than this share of them (and more than SHARED_IMPORT_MIN) is an entry module,
 * such as `click/__init__.py` or `src/pytest.py`: importing it does not make a test one of its tests. Counting
 * such imports, the packing took pytest's tiny `conftest.py` fixtures and gunicorn's request fixtures as the
 * tests of the best files (bench/localize, Python held-out 1).
 */
const SHARED_IMPORT_SHARE = 0.1;
const SHARED_IMPORT_MIN = 3;
/** Files under a test folder that support tests rather than test anything: helpers, fixtures, mocks, sample data. */
const SUPPORT_DIRECTORY = /(^|\/)(fixtures?|mocks?|__mocks__|helpers?|stubs?|data|snapshots|__snapshots__|example_scripts|examples?|scripts|types|utils?)\//i;

/**
 * Test files named after a target, or importing a target that few tests import; best target first, then tests
 * before their support files, then (given the task) tests whose text matches it better, then tests named after
 * the target, then smaller files.
 */
export function testsFor(targets: readonly string[], files: readonly IndexedFile[], resolver: ModuleResolver, task?: string): string[] {
  const rankOf = new Map(targets.map((p, i) => [p, i]));
  const targetNames = new Map<string, number>();
  targets.forEach((t, i) => {
    for (const name of namesOf(t)) if (!targetNames.has(name)) targetNames.set(name, i);
  });
  const tests = files.filter((f) => f.kind === "test" && !/\.snap$/.test(f.path));
  const importedTargets = new Map<string, Set<string>>();
  const importers = new Map<string, number>();
  for (const file of tests) {
    const imported = new Set<string>();
    for (const specifier of file.imports) {
      for (const target of resolver.resolve(file.path, specifier)) if (rankOf.has(target)) imported.add(target);
    }
    importedTargets.set(file.path, imported);
    for (const target of imported) importers.set(target, (importers.get(target) ?? 0) + 1);
  }
  const shared = Math.max(SHARED_IMPORT_MIN, tests.length * SHARED_IMPORT_SHARE);
  const found: { path: string; rank: number; support: number; match: number; unnamed: number; tokens: number }[] = [];
  for (const file of tests) {
    const byName = targetNames.get(testSubject(file.path)) ?? Infinity;
    let byImport = Infinity;
    for (const target of importedTargets.get(file.path)!) {
      if (importers.get(target)! <= shared) byImport = Math.min(byImport, rankOf.get(target)!);
    }
    const rank = Math.min(byName, byImport);
    if (rank === Infinity) continue;
    found.push({ path: file.path, rank, support: SUPPORT_DIRECTORY.test(file.path) ? 1 : 0, match: 0, unnamed: byName === rank ? 0 : 1, tokens: file.tokens });
  }
  if (task !== undefined && found.length > 1) {
    // No length normalisation (b = 0): a file of many tests is no less about the task for holding others, and
    // only its matching parts go in when it is large.
    const byPath = new Map(tests.map((f) => [f.path, f]));
    const bm25 = new Bm25(found.map((f) => ({ id: f.path, terms: byPath.get(f.path)!.terms })), 1.2, 0);
    for (const [doc, score] of bm25.score(queryTerms(task))) found[doc].match = score;
  }
  found.sort((a, b) => a.rank - b.rank || a.support - b.support || b.match - a.match || a.unnamed - b.unnamed || a.tokens - b.tokens || a.path.localeCompare(b.path));
  return found.map((f) => f.path);
}

const TYPE_KINDS = new Set(["interface", "type", "enum"]);

/**
 * Type definitions the targets use: declaration files named after a target, files the targets import that
 * are declarations or mostly types, and files that define a type (interface, type alias, enum) a target uses.
 */
export function typesFor(targets: readonly string[], files: readonly IndexedFile[], resolver: ModuleResolver): string[] {
  const targetSet = new Set(targets);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const votes = new Map<string, number>();
  const vote = (path: string, weight: number) => {
    if (!targetSet.has(path)) votes.set(path, (votes.get(path) ?? 0) + weight);
  };
  const typeDefiners = new Map<string, string[]>();
  for (const file of files) {
    if (file.kind === "test") continue;
    for (const def of file.defs) {
      if (!TYPE_KINDS.has(def.kind)) continue;
      const list = typeDefiners.get(def.name);
      if (list) list.push(file.path);
      else typeDefiners.set(def.name, [file.path]);
    }
  }
  const declarationNames = new Map<string, string[]>();
  for (const file of files) {
    if (file.kind !== "types") continue;
    for (const name of namesOf(file.path)) {
      const list = declarationNames.get(name);
      if (list) list.push(file.path);
      else declarationNames.set(name, [file.path]);
    }
  }
  targets.forEach((target, i) => {
    const weight = 1 / (1 + i);
    const file = byPath.get(target);
    if (!file) return;
    for (const name of namesOf(target)) {
      const declarations = declarationNames.get(name) ?? [];
      if (declarations.length <= 3) for (const d of declarations) vote(d, 3 * weight);
    }
    for (const specifier of file.imports) {
      for (const imported of resolver.resolve(target, specifier)) {
        const other = byPath.get(imported);
        if (!other) continue;
        const typeDefs = other.defs.filter((d) => TYPE_KINDS.has(d.kind)).length;
        if (other.kind === "types" || (other.defs.length > 0 && typeDefs * 2 >= other.defs.length)) vote(imported, 2 * weight);
      }
    }
    for (const name of Object.keys(file.refs)) {
      const definers = typeDefiners.get(name);
      if (definers && definers.length <= 2) for (const d of definers) vote(d, weight / definers.length);
    }
  });
  return [...votes]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([path]) => path);
}

function mapEntry(file: IndexedFile, withDefs: boolean): string {
  if (!withDefs || file.defs.length === 0) return `${file.path}\n`;
  const defs = file.defs.slice(0, MAP_DEFS_PER_FILE).map((d) => `  ${d.line}: ${d.signature}\n`);
  const more = file.defs.length > MAP_DEFS_PER_FILE ? `  … ${file.defs.length - MAP_DEFS_PER_FILE} more\n` : "";
  return `${file.path}\n${defs.join("")}${more}`;
}

/**
 * Fill the budget: top targets whole, then their tests, then the types they use, then excerpts of best files too
 * large to include whole, then weaker files whole while they fit, then a map of the rest.
 */
export async function packContext(input: PackInput): Promise<ContextSelection> {
  const { index, ranked, resolver, budget } = input;
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  const included: ContextSelection["included"] = [];
  const taken = new Set<string>();
  let used = 0;

  const take = (file: IncludedFile): true => {
    included.push(file);
    taken.add(file.path);
    used += file.tokens;
    return true;
  };
  const include = async (path: string, role: IncludedRole, limit: number): Promise<boolean> => {
    if (taken.has(path)) return false;
    const content = await input.read(path);
    if (content === undefined) return false;
    const tokens = countTokens(renderFileBlock(path, role, content));
    if (used + tokens > limit) return false;
    return take({ path, role, content, tokens });
  };

  const best = ranked[0]?.score ?? 0;
  const worthAbove = (share: number) => ranked.filter((file) => byPath.get(file.path)?.kind !== "test" && file.score >= best * share);
  const candidates = worthAbove(MIN_RELATIVE_SCORE);
  const targets: string[] = [];
  // The parts of a file that match the task within `limit` tokens; a test's parts are windows of TEST_WINDOW_LINES.
  const takeExcerpt = async (path: string, limit: number, role: ExcerptRole): Promise<boolean> => {
    const file = byPath.get(path);
    if (!file || input.task === undefined || limit <= 0) return false;
    const content = await input.read(path);
    if (content === undefined) return false;
    const chunks = role === "test-excerpt" ? lineWindowChunks(content, TEST_WINDOW_LINES) : file.chunks;
    const part = excerptFile({ ...file, chunks }, content, input.task, limit, role);
    return part !== undefined && take({ path, role, content: part.content, tokens: part.tokens, lines: part.ranges });
  };
  // A target's excerpt gets its share of the budget, or what is left of the targets' share if that is less.
  const excerpt = (path: string, reserve = 0) => takeExcerpt(path, Math.min(budget * EXCERPT_SHARE, budget * CORE_SHARE - used - reserve), "excerpt");
  // The best file's excerpt leaves room for the second file whole when it can still have MIN_EXCERPT_SHARE: taking
  // its full share first kept the second file out, and the fix was there (bench/localize, held-out 12: got's
  // source/core/index.ts under the excerpt of options.ts, three times at 16k).
  const roomForSecond = (second: RankedFile | undefined): number => {
    const file = second && byPath.get(second.path);
    if (!file) return 0;
    return budget * CORE_SHARE - used - file.tokens >= budget * MIN_EXCERPT_SHARE ? file.tokens : 0;
  };
  // The best test too large for the tests' share shows the parts of it that match the task: the tests a fix
  // changes are mostly files of hundreds of tests, which never fitted whole (bench/localize, quick --pack).
  const excerptTest = async (path: string, limit: number) => limit >= MIN_TEST_EXCERPT_TOKENS && takeExcerpt(path, limit, "test-excerpt");
  // Rank order; a file that does not fit is skipped and the next may fit.
  const tooLarge: string[] = [];
  const addTargets = async (share: (position: number) => number, list = candidates, maxTargets = MAX_TARGETS) => {
    for (const [position, file] of list.entries()) {
      if (targets.length >= maxTargets) break;
      const limit = budget * share(position);
      if (taken.has(file.path)) continue;
      if (file.tokens > limit - used) {
        // A best file too large for any share of the budget; one that merely does not fit what is left stays in the map.
        if (position < CORE_TARGETS && file.tokens > budget * CORE_SHARE && !tooLarge.includes(file.path)) {
          // The best file is the likeliest to need the fix: its excerpt goes first; the others' wait (below).
          if (position === 0 && (await excerpt(file.path, roomForSecond(list[1])))) targets.push(file.path);
          else tooLarge.push(file.path);
        }
        continue;
      }
      if (await include(file.path, "target", limit)) targets.push(file.path);
    }
  };
  await addTargets((position) => (position < CORE_TARGETS ? CORE_SHARE : BUDGET_SHARES.targets));
  const testsLimit = Math.min(budget, used + budget * BUDGET_SHARES.tests);
  let tests = 0;
  let testExcerpted = false;
  for (const path of testsFor(targets, index.files, resolver, input.task)) {
    if (tests >= MAX_TESTS) break;
    if (await include(path, "test", testsLimit)) tests++;
    else if (!testExcerpted && (await excerptTest(path, testsLimit - used))) {
      tests++;
      testExcerpted = true;
    }
  }
  const typesLimit = Math.min(budget, used + budget * BUDGET_SHARES.types);
  let types = 0;
  for (const path of typesFor(targets, index.files, resolver)) {
    if (types >= MAX_TYPES) break;
    if (await include(path, "types", typesLimit)) types++;
  }
  // What the tests and types left goes to further targets, not to the map alone.
  await addTargets(() => CORE_SHARE);
  // The other excerpts take only what the whole files left, the map's minimum kept: placed at their rank, they
  // pushed out more whole files the fix needed than they brought (bench/localize, held-out 6).
  for (const path of tooLarge) if (!taken.has(path) && (await excerpt(path))) targets.push(path);
  // Last, so that the weaker files take only what the excerpts left: tried before them (round 7), they took the
  // excerpts' room at 8k (bench/localize, former held-out 6).
  await addTargets(() => CORE_SHARE, worthAbove(FILL_MIN_RELATIVE_SCORE), FILL_MAX_TARGETS);

  // The map: ranked files first (the best with their definitions), then every other candidate by path.
  const order = [...ranked.map((r) => r.path), ...index.files.map((f) => f.path).sort()];
  const entries: string[] = [];
  const listed = new Set<string>();
  const mapBudget = budget - used - countTokens(renderRepoMapBlock("x\n"));
  let mapTokens = 0;
  for (const path of order) {
    if (taken.has(path) || listed.has(path)) continue;
    const file = byPath.get(path);
    if (!file) continue;
    const entry = mapEntry(file, listed.size < MAP_FILES_WITH_DEFS);
    const tokens = countTokens(entry);
    if (mapTokens + tokens > mapBudget) {
      if (tokens > 20) continue;
      break;
    }
    entries.push(entry);
    listed.add(path);
    mapTokens += tokens;
  }
  let repoMap = entries.sort().join("");
  let usedTokens = countTokens(renderSelectionText(included, repoMap));
  while (usedTokens > budget && entries.length > 0) {
    entries.pop();
    repoMap = entries.join("");
    usedTokens = countTokens(renderSelectionText(included, repoMap));
  }
  return { files: ranked, included, repoMap, budget, usedTokens };
}

/** The prompt text of included files and map; the single source for rendering and counting. */
export function renderSelectionText(included: ContextSelection["included"], repoMap: string): string {
  return included.map((f) => renderFileBlock(f.path, f.role, f.content)).join("") + renderRepoMapBlock(repoMap);
}
