import picomatch from "picomatch";

/** Compiled picomatch matchers, cached: the same few hundred globs are tested against every changed path. */
const cache = new Map<string, (path: string) => boolean>();

function matcher(glob: string): (path: string) => boolean {
  let match = cache.get(glob);
  if (!match) {
    match = picomatch(glob, { dot: true });
    cache.set(glob, match);
  }
  return match;
}

/** Normalise a repository path: forward slashes, no leading `./` or `/`. */
export function normalizePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/^\/+/, "");
}

export function matchesGlob(path: string, glob: string): boolean {
  return matcher(glob)(path);
}

/** The first glob that matches `path`, or undefined. */
export function firstMatchingGlob(path: string, globs: readonly string[]): string | undefined {
  return globs.find((glob) => matcher(glob)(path));
}

export function matchesAnyGlob(path: string, globs: readonly string[]): boolean {
  return firstMatchingGlob(path, globs) !== undefined;
}

/** A path-pattern table row: the glob and the human-readable label the reason will use. */
export interface PathPattern {
  glob: string;
  label: string;
}

export function firstMatchingPattern<P extends PathPattern>(path: string, patterns: readonly P[]): P | undefined {
  return patterns.find((p) => matcher(p.glob)(path));
}
