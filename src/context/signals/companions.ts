import { posix } from "node:path";
import type { IndexedFile } from "../repo-index.js";
import type { SignalScores } from "./signal.js";

/** Names a file goes by: its base name without extensions, and its folder's name for index-like files. */
export function companionKeys(path: string): string[] {
  const base = posix.basename(path).replace(/\..*$/, "").toLowerCase();
  const keys = [base];
  if (/^(index|__init__|mod|main)$/.test(base) && path.includes("/")) keys.push(posix.basename(posix.dirname(path)).toLowerCase());
  return keys.filter((k) => !/^(index|__init__|mod|main)$/.test(k));
}

/**
 * Hand-written declarations (`.d.ts`, `.pyi`) travel with the source they describe: when a top-ranked source
 * file changes its API, its declaration file named the same (`src/plugin/x/index.js` ↔ `types/plugin/x.d.ts`,
 * `pkg/mod.py` ↔ `pkg/mod.pyi`) changes too. Each such file gets the score of the source it belongs to.
 */
export function companionScores(files: readonly IndexedFile[], totals: ReadonlyMap<string, number>, seeds: number): SignalScores {
  const scores: SignalScores = new Map();
  const kinds = new Map(files.map((f) => [f.path, f.kind]));
  const top = [...totals]
    .filter(([path, score]) => score > 0 && kinds.get(path) === "source")
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, seeds);
  if (top.length === 0) return scores;
  const best = top[0][1];
  const declarations = new Map<string, string[]>();
  for (const file of files) {
    if (file.kind !== "types") continue;
    for (const key of companionKeys(file.path)) {
      const list = declarations.get(key);
      if (list) list.push(file.path);
      else declarations.set(key, [file.path]);
    }
  }
  for (const [source, score] of top) {
    // A script without an extension (`bin/terser`) is run, never imported: no declaration file describes it.
    if (!posix.basename(source).includes(".")) continue;
    for (const key of companionKeys(source)) {
      const matches = declarations.get(key) ?? [];
      if (matches.length === 0 || matches.length > 2) continue;
      for (const path of matches) {
        const value = score / best;
        if ((scores.get(path)?.score ?? 0) < value) scores.set(path, { score: value, details: [`declarations of ${source}`] });
      }
    }
  }
  return scores;
}
