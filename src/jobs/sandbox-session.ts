import type { Logger } from "../logging/logger.js";
import { archiveTree, changedPaths, stageAll, writeTree } from "../git/workspace.js";
import { runGit } from "../git/safe-git.js";
import type { CommandResult, Sandbox, SandboxLimits, SandboxProvider } from "../sandbox/types.js";
import { parseTestOutput } from "../verify/parse-test-output.js";
import type { TestReport } from "../verify/types.js";

/**
 * One job's warm sandbox, kept in step with the host clone. Host edits become a tar of the changed
 * files, built by `git archive` from git's own view of the clone; only command output comes back.
 * Calls are serialised: the model's `run_tests` and the harness's runs never overlap.
 */
export class SandboxSession {
  readonly #sandbox: Sandbox;
  readonly #repoDir: string;
  readonly #log: Logger;
  #syncedTree: string;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(sandbox: Sandbox, repoDir: string, syncedTree: string, log: Logger) {
    this.#sandbox = sandbox;
    this.#repoDir = repoDir;
    this.#syncedTree = syncedTree;
    this.#log = log;
  }

  /** Start a sandbox holding `treeish` of the clone. */
  static async start(options: {
    provider: SandboxProvider;
    jobId: string;
    image: string;
    repoDir: string;
    treeish: string;
    limits?: Partial<SandboxLimits>;
    log: Logger;
  }): Promise<SandboxSession> {
    const tree = await treeOf(options.repoDir, options.treeish);
    const workspace = await archiveTree(options.repoDir, tree);
    const sandbox = await options.provider.start({ jobId: options.jobId, image: options.image, workspace, limits: options.limits });
    return new SandboxSession(sandbox, options.repoDir, tree, options.log);
  }

  /** Send the clone's current state (as git sees it) into the sandbox; returns the tree now in it. */
  sync(): Promise<string> {
    return this.#serial(() => this.#sync());
  }

  /**
   * Sync, then run a command line in the sandbox. `sync: false` runs on what the sandbox already holds
   * (the baseline: the untouched base tree, whatever the model has edited on the host meanwhile).
   */
  run(command: string, options: { timeoutMs?: number; sync?: boolean } = {}): Promise<CommandResult> {
    return this.#serial(async () => {
      if (options.sync !== false) await this.#sync();
      return this.#sandbox.run(command, { timeoutMs: options.timeoutMs });
    });
  }

  async runTests(command: string, options: { timeoutMs?: number; sync?: boolean } = {}): Promise<TestReport> {
    const result = await this.run(command, options);
    return parseTestOutput(command, result);
  }

  dispose(): Promise<void> {
    return this.#sandbox.dispose();
  }

  async #sync(): Promise<string> {
    await stageAll(this.#repoDir);
    const tree = await writeTree(this.#repoDir);
    if (tree === this.#syncedTree) return tree;
    const changes = await changedPaths(this.#repoDir, this.#syncedTree, tree);
    const written = changes.filter((c) => c.status !== "D").map((c) => c.path);
    const deletions = changes.filter((c) => c.status === "D").map((c) => c.path);
    const tar = written.length > 0 ? await archiveTree(this.#repoDir, tree, written) : undefined;
    await this.#sandbox.update({ tar, deletions });
    this.#log.debug({ written: written.length, deleted: deletions.length }, "synced workspace into the sandbox");
    this.#syncedTree = tree;
    return tree;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

export async function treeOf(repoDir: string, treeish: string): Promise<string> {
  return (await runGit(["rev-parse", "--verify", `${treeish}^{tree}`], { cwd: repoDir })).toString("utf8").trim();
}
