import type { ModuleResolver } from "../module-resolver.js";
import type { IndexedFile } from "../repo-index.js";
import { termsOf } from "../text-terms.js";
import type { SignalScores } from "./signal.js";

/** A name shared by more files than this says nothing about which one a file uses. */
const MAX_DEFINERS = 3;

/**
 * One hop from the best candidates to what they use: a file that defines an identifier a top file refers to
 * gets credit when the identifier's own name speaks the language. A fix for "milliseconds are parsed
 * wrong" in `parseDate` may belong in the `REGEX_PARSE` constant it uses from another module; neither lexical
 * search (the constant's file says little) nor PageRank (which does not read the issue) finds it.
 *
 * For each seed S and each name N that S refers to but does not define, the files defining N (those S imports
 * when it imports any, else N's only definer) score seedWeight(S) × match(N), where match(N) is the summed IDF of
 * the issue terms among N's parts (`REGEX_PARSE` → regex, pars) divided by the square root of N's part count, so
 * long names do not win by length. A definer's score is that of the best name it supplies (not a sum: a module of
 * shared constants supplies many weakly matching names to every file).
 */
export function usedDefinitionScores(
  files: readonly IndexedFile[],
  seeds: ReadonlyMap<string, number>,
  query: ReadonlyMap<string, number>,
  resolver: ModuleResolver,
): SignalScores {
  const scores: SignalScores = new Map();
  if (seeds.size === 0 || query.size === 0) return scores;
  const byPath = new Map(files.map((f) => [f.path, f]));

  const documentFrequency = new Map<string, number>();
  for (const term of query.keys()) documentFrequency.set(term, 0);
  for (const file of files) {
    for (const term of query.keys()) if (Object.hasOwn(file.terms, term)) documentFrequency.set(term, documentFrequency.get(term)! + 1);
  }
  const idf = (term: string) => Math.log(1 + (files.length - documentFrequency.get(term)! + 0.5) / (documentFrequency.get(term)! + 0.5));

  const definers = new Map<string, string[]>();
  for (const file of files) {
    for (const name of new Set(file.defs.map((d) => d.name))) {
      if (name.length < 3) continue;
      const list = definers.get(name);
      if (list) list.push(file.path);
      else definers.set(name, [file.path]);
    }
  }

  const matchCache = new Map<string, { score: number; terms: string[] }>();
  const match = (name: string) => {
    let cached = matchCache.get(name);
    if (cached) return cached;
    const parts = [...new Set(termsOf(name))];
    const hits = parts.filter((t) => query.has(t));
    const score = hits.length === 0 ? 0 : hits.reduce((sum, t) => sum + idf(t), 0) / Math.sqrt(parts.length);
    matchCache.set(name, (cached = { score, terms: hits }));
    return cached;
  };

  // name → definer → best contribution over seeds (a name counts once per definer, from its strongest user)
  const supplied = new Map<string, Map<string, { value: number; seed: string }>>();
  for (const [seedPath, seedWeight] of seeds) {
    const seed = byPath.get(seedPath);
    if (!seed || seedWeight <= 0) continue;
    const own = new Set(seed.defs.map((d) => d.name));
    const imported = new Set(seed.imports.flatMap((specifier) => resolver.resolve(seed.path, specifier)));
    for (const name of Object.keys(seed.refs)) {
      if (own.has(name)) continue;
      const owners = definers.get(name);
      if (!owners || owners.length > MAX_DEFINERS) continue;
      const { score } = match(name);
      if (score <= 0) continue;
      const viaImport = owners.filter((p) => imported.has(p) && p !== seed.path);
      const targets = viaImport.length > 0 ? viaImport : owners.length === 1 && owners[0] !== seed.path ? owners : [];
      for (const target of targets) {
        let row = supplied.get(target);
        if (!row) supplied.set(target, (row = new Map()));
        const value = seedWeight * score;
        if ((row.get(name)?.value ?? 0) < value) row.set(name, { value, seed: seedPath });
      }
    }
  }
  for (const [path, row] of supplied) {
    const entries = [...row].sort((a, b) => b[1].value - a[1].value || a[0].localeCompare(b[0]));
    // The best name only: a shared module of constants supplies many weakly matching names to everyone.
    scores.set(path, { score: entries[0][1].value, details: entries.slice(0, 3).map(([name, e]) => `${name} used by ${e.seed}`) });
  }
  return scores;
}
