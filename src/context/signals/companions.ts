import { posix } from "node:path";
import type { FileKind } from "../candidates.js";
import type { IndexedFile } from "../repo-index.js";
import type { SignalScores } from "./signal.js";

/** Files that stand for their folder: `src/x/index.js`, `pkg/x/__init__.py`, and a folder's `README.md`. */
const FOLDER_FILE = /^(index|__init__|mod|main|readme)$/;

/** Names a file goes by: its base name without extensions, and its folder's name for index-like files. */
export function companionKeys(path: string): string[] {
  const base = posix.basename(path).replace(/\..*$/, "").toLowerCase();
  const keys = [base];
  if (FOLDER_FILE.test(base) && path.includes("/")) keys.push(posix.basename(posix.dirname(path)).toLowerCase());
  return keys.filter((k) => !FOLDER_FILE.test(k));
}

/**
 * Hand-written declarations (`.d.ts`, `.pyi`) and documentation travel with the source they describe: when a
 * top-ranked source file changes its API or behaviour, its declaration file named the same
 * (`src/plugin/x/index.js` ↔ `types/plugin/x.d.ts`, `pkg/mod.py` ↔ `pkg/mod.pyi`) and its page (`lib/rules/x.js`
 * ↔ `docs/rules/x.md`, `flask/cli.py` ↔ `docs/cli.rst`, `lib/rules/x/index.js` ↔ `lib/rules/x/README.md`) change
 * too. Each such file gets the score of the source it belongs to. A name shared by more than two files of a kind
 * (a page translated into five languages) points at none of them.
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
  const declarations = { what: "declarations", byKey: filesByKey(files, "types") };
  const pages = { what: "documentation", byKey: filesByKey(files, "docs") };
  for (const [source, score] of top) {
    // A script without an extension (`bin/terser`) is run, never imported: no declaration file describes it.
    const families = posix.basename(source).includes(".") ? [declarations, pages] : [pages];
    const value = score / best;
    for (const key of companionKeys(source)) {
      for (const { what, byKey } of families) {
        const matches = byKey.get(key) ?? [];
        if (matches.length === 0 || matches.length > 2) continue;
        for (const path of matches) {
          if ((scores.get(path)?.score ?? 0) < value) scores.set(path, { score: value, details: [`${what} of ${source}`] });
        }
      }
    }
  }
  return scores;
}

/** Files of one kind by the names they go by. */
function filesByKey(files: readonly IndexedFile[], kind: FileKind): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const file of files) {
    if (file.kind !== kind) continue;
    for (const key of companionKeys(file.path)) {
      const list = byKey.get(key);
      if (list) list.push(file.path);
      else byKey.set(key, [file.path]);
    }
  }
  return byKey;
}
