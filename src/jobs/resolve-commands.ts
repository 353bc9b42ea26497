import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RepoConfig } from "../config/repo-config.js";
import { detectCommands } from "../config/detect-commands.js";
import type { RepoCommands } from "./codegen-pipeline.js";

const MAX_ROOT_FILE_BYTES = 1024 * 1024;

/** Commands from `.github/codegen.yml`, with detection filling in what it leaves out. */
export async function resolveCommands(repoDir: string, config: RepoConfig): Promise<Partial<RepoCommands> & { source: string }> {
  const detected = config.test && config.install ? { source: "configuration" } : await detectCommands((name) => readRootFile(repoDir, name));
  return {
    test: config.test ?? ("test" in detected ? detected.test : undefined),
    install: config.install ?? ("install" in detected ? detected.install : undefined),
    lint: config.lint,
    typecheck: config.typecheck,
    source: config.test ? ".github/codegen.yml" : detected.source,
  };
}

/** A regular file at the repository root (never through a link), or null. */
async function readRootFile(repoDir: string, name: string): Promise<string | null> {
  const path = join(repoDir, name);
  const stats = await lstat(path).catch(() => null);
  if (!stats?.isFile() || stats.size > MAX_ROOT_FILE_BYTES) return null;
  return readFile(path, "utf8");
}
