import { ConfigurationError } from "../errors/index.js";
import { runGit } from "./safe-git.js";

async function gitText(args: string[], cwd: string): Promise<string> {
  return (await runGit(args, { cwd })).toString("utf8");
}

function nulList(text: string): string[] {
  return text.split("\0").filter(Boolean);
}

/**
 * The tracked files a local branch changes since it left `base`: committed since the merge base, or edited (or
 * added with `git add`) and not yet committed. Deleted files are left out (nothing to read), and so are untracked
 * ones, which the index does not read either. This is what a pull request of the branch would show, plus the work
 * not yet committed.
 */
export async function branchChanges(repoDir: string, base: string): Promise<string[]> {
  // A ref starting with "-" would be read as an option by git.
  if (!base || base.startsWith("-")) throw new ConfigurationError(`--base ${JSON.stringify(base)} is not a ref: give a branch, tag or commit, e.g. main`);
  let baseCommit: string;
  try {
    baseCommit = (await gitText(["rev-parse", "--verify", "--quiet", `${base}^{commit}`], repoDir)).trim();
  } catch {
    throw new ConfigurationError(`--base ${base} is not a commit of the repository: give a branch, tag or commit it has (git branch -a lists them)`);
  }
  let mergeBase: string;
  try {
    mergeBase = (await gitText(["merge-base", "HEAD", baseCommit], repoDir)).trim();
  } catch {
    throw new ConfigurationError(`--base ${base} shares no history with HEAD: give the branch this one was started from`);
  }
  return nulList(await gitText(["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--diff-filter=d", mergeBase, "--"], repoDir));
}
