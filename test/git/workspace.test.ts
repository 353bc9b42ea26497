import { execFile } from "node:child_process";
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import tar from "tar-stream";
import { GitHubApiError, WorkspaceError } from "../../src/errors/index.js";
import { readHistory } from "../../src/context/signals/history.js";
import {
  archiveTree,
  changedPaths,
  cloneHistory,
  cloneRepository,
  commitAll,
  createBranch,
  diffBinary,
  headSha,
  push,
  stageAll,
  writeTree,
} from "../../src/git/workspace.js";
import { startGitHubStandIn, type GitHubStandIn, type SeededRepository } from "../support/github-standin/index.js";

const exec = promisify(execFile);

/** List a tar with tar-stream: name → { type, content }. */
async function listTar(archive: Buffer): Promise<Map<string, { type: string; content: string; mode: number }>> {
  const entries = new Map<string, { type: string; content: string; mode: number }>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: unknown) => chunks.push(c as Buffer));
      stream.on("end", () => {
        if (String(header.type) !== "pax-global-header") {
          entries.set(header.name, { type: header.type ?? "file", content: Buffer.concat(chunks).toString("utf8"), mode: header.mode ?? 0 });
        }
        next();
      });
      stream.resume();
    });
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  extract.end(archive);
  await done;
  return entries;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

describe("host git workspace against the stand-in's git HTTP", () => {
  let standIn: GitHubStandIn;
  let repo: SeededRepository;
  let work: string;
  let hostSecret: string;
  let n = 0;
  const fresh = () => join(work, `clone-${++n}`);

  beforeAll(async () => {
    standIn = await startGitHubStandIn();
    work = await mkdtemp(join(tmpdir(), "workspace-test-"));
    hostSecret = join(work, "host-secret.txt");
    await writeFile(hostSecret, "TOP SECRET HOST FILE\n");
    repo = await standIn.createRepository({
      owner: "acme",
      name: "widgets",
      files: {
        "README.md": "# widgets\n",
        "src/a.js": "export const a = 1;\n",
        "src/old.js": "old\n",
        "bin/run.sh": { content: "#!/bin/sh\necho run\n", executable: true },
        "leak": { symlink: hostSecret },
        "tests/a.test.js": "test\n",
        ".gitattributes": "tests/ export-ignore\n",
      },
    });
  });

  afterAll(async () => {
    await standIn.close();
    await rm(work, { recursive: true, force: true });
  });

  it("clones with the token and leaves the token nowhere in the clone", async () => {
    const token = standIn.createInstallationToken();
    const dir = fresh();
    const cloned = await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir, token });
    expect(cloned).toEqual({ dir, headSha: repo.headSha });
    expect(await readFile(join(dir, "README.md"), "utf8")).toBe("# widgets\n");
    const config = await readFile(join(dir, ".git", "config"), "utf8");
    expect(config).toContain(`url = ${repo.cloneUrl}`);
    expect(config).toMatch(/hooksPath = \/dev\/null/);
    for (const file of await filesUnder(join(dir, ".git"))) {
      expect((await readFile(file)).includes(token)).toBe(false);
    }
    expect(await readFile(join(dir, ".git", "shallow"), "utf8")).toBe(`${repo.headSha}\n`);
  });

  it("fails to clone with a bad token and says so", async () => {
    const error = await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir: fresh(), token: "ghs_wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toMatch(/Could not clone branch main/);
    // The message may be posted on GitHub: no host paths, no token.
    expect((error as Error).message).not.toContain(work);
    expect((error as Error).message).not.toContain("ghs_wrong");
  });

  it("fetches a branch's history as commits and trees only, for co-change", async () => {
    const key = { owner: "acme", repo: "history" };
    await standIn.createRepository({ owner: "acme", name: "history", files: { "src/a.js": "a1\n", "src/b.js": "b1\n", "src/c.js": "c1\n" } });
    await standIn.commitFiles(key, { branch: "main", files: { "src/a.js": "a2\n", "src/b.js": "b2\n" } });
    const head = await standIn.commitFiles(key, { branch: "main", files: { "src/a.js": "a3\n", "src/c.js": "c3\n" } });
    const token = standIn.createInstallationToken();
    const dir = fresh();
    await cloneHistory({ cloneUrl: standIn.cloneUrl(key), branch: "main", dir, token });

    // Files, messages and hashes, for the co-change, past-commits and named-commits signals.
    expect(await readHistory(dir, head)).toEqual([
      { files: ["src/a.js", "src/c.js"], message: "Update files", hash: head },
      { files: ["src/a.js", "src/b.js"], message: "Update files", hash: expect.stringMatching(/^[0-9a-f]{40}$/) },
    ]);
    // No file contents came over: every blob is missing (listed without fetching).
    const objects = (await exec("git", ["rev-list", "--objects", "--missing=print", head], { cwd: dir })).stdout.split("\n");
    expect(objects.filter((l) => l.startsWith("?")).length).toBeGreaterThanOrEqual(7);
    for (const file of await filesUnder(dir)) expect((await readFile(file)).includes(token)).toBe(false);

    const error = await cloneHistory({ cloneUrl: standIn.cloneUrl(key), branch: "main", dir: fresh(), token: "ghs_wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toMatch(/Could not fetch the history of branch main/);
    expect((error as Error).message).not.toContain("ghs_wrong");
    await expect(cloneHistory({ cloneUrl: standIn.cloneUrl(key), branch: "--upload-pack=x", dir: fresh() })).rejects.toThrow(WorkspaceError);
  });

  it("refuses credentials in the URL and option-like branch names", async () => {
    const withCredentials = repo.cloneUrl.replace("http://", "http://x-access-token:secret@");
    await expect(cloneRepository({ cloneUrl: withCredentials, branch: "main", dir: fresh() })).rejects.toThrow(WorkspaceError);
    await expect(cloneRepository({ cloneUrl: repo.cloneUrl, branch: "--upload-pack=touch /tmp/x", dir: fresh() })).rejects.toThrow(WorkspaceError);
    await expect(cloneRepository({ cloneUrl: repo.cloneUrl, branch: "@{-1}", dir: fresh() })).rejects.toThrow(WorkspaceError);
    await expect(cloneRepository({ cloneUrl: repo.cloneUrl, branch: "a..b", dir: fresh() })).rejects.toThrow(WorkspaceError);
    await expect(cloneRepository({ cloneUrl: "ext::sh -c touch% /tmp/pwned", branch: "main", dir: fresh() })).rejects.toThrow(WorkspaceError);
  });

  it("checks a symlink to a host file out as a plain file holding the link text", async () => {
    const dir = fresh();
    const token = standIn.createInstallationToken();
    await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir, token });
    const info = await lstat(join(dir, "leak"));
    expect(info.isSymbolicLink()).toBe(false);
    expect(info.isFile()).toBe(true);
    expect(await readFile(join(dir, "leak"), "utf8")).toBe(hostSecret);

    // Control: a plain clone of the same repository does create the link to the host file.
    const plain = fresh();
    const header = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
    await exec("git", ["-c", header, "clone", "-q", repo.cloneUrl, plain], { env: { PATH: process.env.PATH ?? "", HOME: work, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" } });
    expect((await lstat(join(plain, "leak"))).isSymbolicLink()).toBe(true);
  });

  it("never runs hooks planted in the clone", async () => {
    const dir = fresh();
    await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir, token: standIn.createInstallationToken() });
    const canary = join(work, `canary-${n}`);
    for (const hook of ["pre-commit", "commit-msg", "post-commit", "pre-push", "post-checkout", "reference-transaction"]) {
      const path = join(dir, ".git", "hooks", hook);
      await writeFile(path, `#!/bin/sh\necho ${hook} >> ${canary}\n`);
      await chmod(path, 0o755);
    }
    // A repository that managed to point hooksPath at its own hooks still gets nothing.
    await exec("git", ["config", "core.hooksPath", join(dir, ".git", "hooks")], { cwd: dir });

    await writeFile(join(dir, "new.txt"), "x\n");
    await createBranch(dir, "codegen/hooks");
    await commitAll(dir, "change");
    await push(dir, { remoteUrl: repo.cloneUrl, branch: "codegen/hooks", token: standIn.createInstallationToken() });
    await expect(stat(canary)).rejects.toMatchObject({ code: "ENOENT" });

    // Control: plain git in the same clone does run them, so the canary can fire.
    await exec("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "--allow-empty", "-q", "-m", "control"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: work, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    });
    expect(await readFile(canary, "utf8")).toContain("pre-commit");
  });

  it("round-trips edits through writeTree, changedPaths and archiveTree", async () => {
    const dir = fresh();
    const { headSha: base } = await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir, token: standIn.createInstallationToken() });
    const baseTree = (await exec("git", ["rev-parse", `${base}^{tree}`], { cwd: dir })).stdout.trim();
    await writeFile(join(dir, "src", "a.js"), "export const a = 2;\n");
    await writeFile(join(dir, "src", "b.js"), "export const b = 1;\n");
    await unlink(join(dir, "src", "old.js"));
    await chmod(join(dir, "README.md"), 0o755);
    await stageAll(dir);
    const tree = await writeTree(dir);
    expect(tree).toMatch(/^[0-9a-f]{40}$/);

    const changes = await changedPaths(dir, baseTree, tree);
    expect(changes).toEqual([
      { path: "README.md", status: "M", oldMode: "100644", newMode: "100755" },
      { path: "src/a.js", status: "M", oldMode: "100644", newMode: "100644" },
      { path: "src/b.js", status: "A", oldMode: "000000", newMode: "100644" },
      { path: "src/old.js", status: "D", oldMode: "100644", newMode: "000000" },
    ]);

    const present = changes.filter((c) => c.status !== "D").map((c) => c.path);
    const partial = await listTar(await archiveTree(dir, tree, present));
    expect([...partial.keys()].filter((k) => !k.endsWith("/")).sort()).toEqual(["README.md", "src/a.js", "src/b.js"]);
    expect(partial.get("src/a.js")!.content).toBe("export const a = 2;\n");
    expect(partial.get("README.md")!.mode & 0o111).not.toBe(0);

    const full = await listTar(await archiveTree(dir, tree));
    // The repository's `tests/ export-ignore` must not hide its tests from the sandbox.
    expect(full.get("tests/a.test.js")?.content).toBe("test\n");
    expect(full.get("leak")).toMatchObject({ type: "symlink" });
    expect(full.has("src/old.js")).toBe(false);
    expect(await listTar(await archiveTree(dir, tree, []))).toEqual(new Map());

    const patch = await diffBinary(dir, baseTree, tree);
    expect(patch).toContain("diff --git a/src/b.js b/src/b.js\nnew file mode 100644");
    expect(patch).toContain("deleted file mode 100644");
    expect(patch).toMatch(/^index [0-9a-f]{40}\.\.[0-9a-f]{40}/m);
  });

  it("reports an edit of a checked-out symlink as a symlink change (the patch validator must reject it)", async () => {
    const dir = fresh();
    const { headSha: base } = await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir, token: standIn.createInstallationToken() });
    await writeFile(join(dir, "leak"), "/etc/shadow");
    await stageAll(dir);
    const changes = await changedPaths(dir, base, await writeTree(dir));
    expect(changes).toEqual([{ path: "leak", status: "M", oldMode: "120000", newMode: "120000" }]);
  });

  it("keeps odd file names intact", async () => {
    const dir = fresh();
    const { headSha: base } = await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir, token: standIn.createInstallationToken() });
    const names = ["with space.txt", "new\nline.txt", "ünïcødé-日本.md", 'quote"and\\back.txt', "-leading-dash.txt", "glob*?[x].txt", "*.txt", "tab\there.txt"];
    await mkdir(join(dir, "odd"));
    for (const name of names) await writeFile(join(dir, "odd", name), `${name}\n`);
    await stageAll(dir);
    const tree = await writeTree(dir);
    const changes = await changedPaths(dir, base, tree);
    expect(changes.map((c) => c.path).sort()).toEqual(names.map((name) => `odd/${name}`).sort());
    expect(changes.every((c) => c.status === "A")).toBe(true);
    // Paths are literal: "odd/*.txt" is that one file, not every .txt file.
    const archive = await listTar(await archiveTree(dir, tree, ["odd/*.txt", "odd/new\nline.txt"]));
    expect([...archive.keys()].filter((k) => !k.endsWith("/")).sort()).toEqual(["odd/*.txt", "odd/new\nline.txt"]);
  });

  it("pushes a new branch to the stand-in, then refuses a diverged push unless forced", async () => {
    const dir = fresh();
    await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir, token: standIn.createInstallationToken() });
    await createBranch(dir, "codegen/issue-7");
    await writeFile(join(dir, "feature.txt"), "feature\n");
    const sha = await commitAll(dir, "Add feature\n\n#7 Body line.");
    expect(await headSha(dir)).toBe(sha);
    await expect(push(dir, { remoteUrl: repo.cloneUrl, branch: "codegen/issue-7", token: standIn.createInstallationToken() })).resolves.toBe(sha);
    expect((await standIn.branches(repo.ref))["codegen/issue-7"]).toBe(sha);
    expect(await standIn.readFile(repo.ref, "feature.txt", "codegen/issue-7")).toBe("feature\n");
    const message = (await exec("git", ["--git-dir", standIn.bareRepositoryPath(repo.ref), "log", "-1", "--format=%an|%B", sha])).stdout;
    expect(message).toBe("codegen[bot]|Add feature\n\n#7 Body line.\n\n");
    expect(await readFile(join(dir, ".git", "config"), "utf8")).not.toMatch(/x-access-token|ghs_/);

    const someoneElse = await standIn.commitFiles(repo.ref, { branch: "codegen/issue-7", files: { "other.txt": "other\n" } });
    await writeFile(join(dir, "feature.txt"), "feature v2\n");
    await commitAll(dir, "v2");
    const rejected = await push(dir, { remoteUrl: repo.cloneUrl, branch: "codegen/issue-7", token: standIn.createInstallationToken() }).catch((e: unknown) => e);
    expect(rejected).toMatchObject({ status: 409 });
    const leaseLost = await push(dir, { remoteUrl: repo.cloneUrl, branch: "codegen/issue-7", token: standIn.createInstallationToken(), force: true, expectedRemoteSha: sha }).catch((e: unknown) => e);
    expect(leaseLost).toBeInstanceOf(GitHubApiError);
    const forced = await push(dir, { remoteUrl: repo.cloneUrl, branch: "codegen/issue-7", token: standIn.createInstallationToken(), force: true, expectedRemoteSha: someoneElse });
    expect((await standIn.branches(repo.ref))["codegen/issue-7"]).toBe(forced);
  });

  it("explains a push refused for touching workflows without the permission", async () => {
    const dir = fresh();
    await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir, token: standIn.createInstallationToken() });
    await mkdir(join(dir, ".github", "workflows"), { recursive: true });
    await writeFile(join(dir, ".github", "workflows", "ci.yml"), "on: push\n");
    await commitAll(dir, "ci");
    const error = await push(dir, { remoteUrl: repo.cloneUrl, branch: "codegen/ci", token: standIn.createInstallationToken() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toMatch(/workflow file \.github\/workflows\/ci\.yml.*"workflows" permission/);
    expect(Object.keys(await standIn.branches(repo.ref))).not.toContain("codegen/ci");
  });

  it("clones an existing PR branch at its tip", async () => {
    const tip = await standIn.commitFiles(repo.ref, { branch: "codegen/follow-up", files: { "src/a.js": "export const a = 3;\n" } });
    const dir = fresh();
    const cloned = await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "codegen/follow-up", dir, token: standIn.createInstallationToken() });
    expect(cloned.headSha).toBe(tip);
    expect(await readFile(join(dir, "src/a.js"), "utf8")).toBe("export const a = 3;\n");
  });

  it("refuses to commit when nothing changed", async () => {
    const dir = fresh();
    await cloneRepository({ cloneUrl: repo.cloneUrl, branch: "main", dir, token: standIn.createInstallationToken() });
    await expect(commitAll(dir, "nothing")).rejects.toThrow(/no changes to commit/);
  });
});
