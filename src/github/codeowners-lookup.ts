import { CODEOWNERS_LOCATIONS, ownersForPaths, parseCodeowners } from "../risk/codeowners.js";
import type { Forge, RepoRef } from "./forge.js";

/** Owners of `paths` from the first CODEOWNERS file GitHub would use (default branch); none when absent. */
export async function codeownersForPaths(
  forge: Forge,
  repo: RepoRef,
  paths: readonly string[],
  exclude: readonly string[],
): Promise<{ users: string[]; teams: string[] }> {
  for (const location of CODEOWNERS_LOCATIONS) {
    const text = await forge.readFile(repo, location);
    if (text === null) continue;
    const owners = ownersForPaths(parseCodeowners(text), paths, exclude);
    return { users: owners.users, teams: owners.teams };
  }
  return { users: [], teams: [] };
}
