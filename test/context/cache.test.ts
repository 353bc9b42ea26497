import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheKey, defaultCacheDir, INDEX_VERSION, readCachedIndex, writeCachedIndex, type CachedIndex } from "../../src/context/cache.js";
import { silentLogger } from "../../src/logging/logger.js";

const entry = (commit: string): CachedIndex => ({ version: INDEX_VERSION, commit, index: { files: [], dropped: {}, templatePhrases: [] }, history: [{ files: ["a.js"] }] });

describe("context cache", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "codegen-context-cache-test-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keys by commit and exclusions", () => {
    expect(cacheKey("abc")).toBe(cacheKey("abc", []));
    expect(cacheKey("abc", ["b/**", "a/**"])).toBe(cacheKey("abc", ["a/**", "b/**"]));
    expect(cacheKey("abc", ["a/**"])).not.toBe(cacheKey("abc"));
    expect(cacheKey("abd")).not.toBe(cacheKey("abc"));
  });

  it("puts the cache under CODEGEN_CACHE_DIR or the home cache", () => {
    expect(defaultCacheDir({ CODEGEN_CACHE_DIR: "/var/cache/x" })).toBe("/var/cache/x/context");
    expect(defaultCacheDir({})).toMatch(/\.cache\/codegen\/context$/);
  });

  it("round-trips an entry and refuses one for another commit or a corrupt file", async () => {
    await writeCachedIndex(dir, "k1", entry("c1"), silentLogger);
    expect(await readCachedIndex(dir, "k1", "c1", silentLogger)).toEqual(entry("c1"));
    expect(await readCachedIndex(dir, "k1", "c2", silentLogger)).toBeUndefined();
    expect(await readCachedIndex(dir, "missing", "c1", silentLogger)).toBeUndefined();
    writeFileSync(join(dir, "bad.json.gz"), "not gzip");
    expect(await readCachedIndex(dir, "bad", "c1", silentLogger)).toBeUndefined();
  });

  it("evicts the oldest entries beyond the limit", async () => {
    for (let i = 0; i < 4; i++) {
      await writeCachedIndex(dir, `k${i}`, entry(`c${i}`), silentLogger, 10);
      utimesSync(join(dir, `k${i}.json.gz`), 1000 + i, 1000 + i);
    }
    await writeCachedIndex(dir, "k4", entry("c4"), silentLogger, 3);
    expect(readdirSync(dir).sort()).toEqual(["k2.json.gz", "k3.json.gz", "k4.json.gz"]);
  });
});
