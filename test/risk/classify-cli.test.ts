import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { runGit } from "../../src/git/safe-git.js";
import type { CliIo } from "../../src/cli/types.js";

/** `codegen classify` in-process, on a real temporary git repository. */
let repo: string;
const git = (...args: string[]) => runGit(args, { cwd: repo });
async function write(path: string, content: string) {
  await mkdir(join(repo, path, ".."), { recursive: true });
  await writeFile(join(repo, path), content);
}
async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: repo };
  const code = await main(["classify", ...args], io);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

let first: string;
let second: string;
beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "codegen-classify-"));
  await git("init", "-q");
  await write("README.md", "# demo\n");
  await write("src/app.ts", "export const a = 1;\n");
  await git("add", "-A");
  await git("commit", "-q", "-m", "init");
  first = (await git("rev-parse", "HEAD")).toString().trim();
  await write("db/migrate/20240101000000_create_posts.rb", "class CreatePosts < ActiveRecord::Migration[7.1]\nend\n");
  await write("README.md", "# demo\n\nMore.\n");
  await git("add", "-A");
  await git("commit", "-q", "-m", "migration");
  second = (await git("rev-parse", "HEAD")).toString().trim();
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe("codegen classify", () => {
  test("--base/--head classify a commit range as JSON", async () => {
    const { code, stdout } = await run("--repo", repo, "--base", first, "--head", second, "--json");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.tier).toBe("critical");
    expect(result.files).toEqual([
      { path: "README.md", tier: "low", reasons: ["Markdown documentation"] },
      { path: "db/migrate/20240101000000_create_posts.rb", tier: "critical", reasons: ["Rails migration under db/migrate/: new migration"] },
    ]);
  });

  test("default: the working tree (tracked edits and untracked files) against HEAD", async () => {
    await write("src/app.ts", "export const a = 2;\n");
    await write("tests/test_new.py", "def test_x():\n    assert add(1, 2) == 3\n");
    const { code, stdout } = await run("--repo", repo, "--json");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.files.map((f: { path: string; tier: string }) => `${f.path}:${f.tier}`).sort()).toEqual(["src/app.ts:medium", "tests/test_new.py:low"]);
    expect(result.tier).toBe("medium");
    await git("checkout", "-q", "--", "src/app.ts");
    await rm(join(repo, "tests"), { recursive: true });
  });

  test("the repository's config at the base revision is applied", async () => {
    await write(".github/codegen.yml", "risk:\n  patterns:\n    - paths: ['src/**']\n      tier: high\n      reason: core code\n");
    await git("add", "-A");
    await git("commit", "-q", "-m", "config");
    await write("src/app.ts", "export const a = 3;\n");
    const { stdout } = await run("--repo", repo, "--json");
    const result = JSON.parse(stdout);
    expect(result.tier).toBe("high");
    expect(result.files[0].reasons[0]).toMatch(/core code/);
    await git("checkout", "-q", "--", "src/app.ts");
  });

  test("human output lists files by tier with reasons", async () => {
    const { code, stdout } = await run("--repo", repo, "--base", first, "--head", second);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Risk: critical/);
    expect(stdout.indexOf("db/migrate")).toBeLessThan(stdout.indexOf("README.md"));
    expect(stdout).toContain("- Rails migration under db/migrate/: new migration");
  });

  test.each([
    [["--base=--upload-pack=evil"], /"--upload-pack=evil" is not a git revision/],
    [["--base", "--upload-pack=evil"], /ambiguous/],
    [["--base", "no-such-branch"], /cannot resolve "no-such-branch"/],
    [["--bogus"], /Unknown option/i],
  ])("bad input %j exits 2 with a message", async (args, message) => {
    const { code, stderr } = await run("--repo", repo, ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
