import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PatchRejectedError } from "../../src/errors/index.js";
import { runGit } from "../../src/git/safe-git.js";
import { PatchPolicyError, decodeGitQuotedName, validatePatch, type PatchFile, type PatchPolicy, type PatchViolation } from "../../src/sandbox/patch-policy.js";

/**
 * Table-driven: every case builds a real repository, makes a change with real git and validates the
 * `git diff --cached --binary --full-index` output. Cases for paths git itself can never produce (`..`,
 * `.git/`, absolute) start from real git output and rewrite the names, as an attacker would.
 */

interface Repo {
  dir: string;
  git: (...args: string[]) => Promise<Buffer>;
  write: (path: string | Buffer, content: string | Buffer) => Promise<void>;
  blob: (content: string) => Promise<string>;
}

const roots: string[] = [];

async function baseRepo(): Promise<Repo> {
  const dir = await mkdtemp(join(tmpdir(), "codegen-patch-policy-"));
  roots.push(dir);
  const git = (...args: string[]): Promise<Buffer> => runGit(args, { cwd: dir });
  const write = async (path: string | Buffer, content: string | Buffer): Promise<void> => {
    const full = Buffer.isBuffer(path) ? Buffer.concat([Buffer.from(`${dir}/`), path]) : join(dir, path);
    if (!Buffer.isBuffer(path) && path.includes("/")) await mkdir(join(dir, path.slice(0, path.lastIndexOf("/"))), { recursive: true });
    await writeFile(full, content);
  };
  const blob = async (content: string): Promise<string> => {
    const out = await runGit(["hash-object", "-w", "--stdin"], { cwd: dir, input: content });
    return out.toString().trim();
  };
  await git("init", "-q");
  await write("README.md", "# demo\n");
  await write("src/app.js", "export const answer = 42;\n");
  await write("scripts/run.sh", "#!/bin/sh\necho run\n");
  await write(".github/workflows/ci.yml", "on: push\n");
  await write("secrets/config.json", "{}\n");
  await git("add", "-A");
  await git("update-index", "--chmod=+x", "scripts/run.sh");
  await git("update-index", "--add", "--cacheinfo", `120000,${await blob("src/app.js")},existing-link`);
  await git("commit", "-q", "-m", "base");
  // Materialise the work tree from the commit (the link as a plain file: core.symlinks=false), so that
  // `git add -A` in a case stages only that case's change.
  await git("reset", "-q", "--hard", "HEAD");
  await chmod(join(dir, "scripts/run.sh"), 0o755);
  return { dir, git, write, blob };
}

const diff = (repo: Repo, ...extra: string[]): Promise<Buffer> => repo.git("diff", "--cached", "--binary", "--full-index", ...extra);

afterAll(async () => {
  await Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Case {
  name: string;
  change: (repo: Repo) => Promise<Buffer | string>;
  policy?: PatchPolicy;
  /** Expected accepted files (subset of fields), or the violated rules (in any order). */
  accept?: Partial<PatchFile>[];
  reject?: PatchViolation["rule"][];
  /** A path (as printed) that must appear among the violations. */
  rejectPath?: string;
}

const cases: Case[] = [
  {
    name: "modified text file",
    change: async (r) => {
      await r.write("src/app.js", "export const answer = 43;\n");
      await r.git("add", "-A");
      return diff(r);
    },
    accept: [{ path: "src/app.js", status: "modified", oldMode: "100644", newMode: "100644", binary: false, sizeBytes: 26 }],
  },
  {
    name: "new file and deleted file",
    change: async (r) => {
      await r.write("src/new.js", "export {};\n");
      await r.git("rm", "-q", "README.md");
      await r.git("add", "-A");
      return diff(r);
    },
    accept: [
      { path: "README.md", status: "deleted", newPath: null },
      { path: "src/new.js", status: "added", oldPath: null, newMode: "100644", executable: false },
    ],
  },
  {
    name: "new executable script (allowed, flagged)",
    change: async (r) => {
      await r.write("scripts/new.sh", "#!/bin/sh\n");
      await r.git("add", "-A");
      await r.git("update-index", "--chmod=+x", "scripts/new.sh");
      return diff(r);
    },
    accept: [{ path: "scripts/new.sh", status: "added", newMode: "100755", executable: true }],
  },
  {
    name: "rename",
    change: async (r) => {
      await r.git("mv", "src/app.js", "src/main.js");
      return diff(r, "-M");
    },
    accept: [{ path: "src/main.js", oldPath: "src/app.js", newPath: "src/main.js", status: "renamed" }],
  },
  {
    name: "empty new file",
    change: async (r) => {
      await r.write("empty.txt", "");
      await r.git("add", "-A");
      return diff(r);
    },
    accept: [{ path: "empty.txt", status: "added", sizeBytes: 0 }],
  },
  {
    name: "names with spaces and non-ASCII letters (git quotes them)",
    change: async (r) => {
      await r.write("docs/read me.md", "x\n");
      await r.write("docs/äöü.md", "y\n");
      await r.git("add", "-A");
      return diff(r);
    },
    accept: [{ path: "docs/read me.md" }, { path: "docs/äöü.md" }],
  },
  {
    name: "small binary file",
    change: async (r) => {
      await r.write("assets/logo.bin", Buffer.from([0, 1, 2, 3, 255, 0, 7]));
      await r.git("add", "-A");
      return diff(r);
    },
    accept: [{ path: "assets/logo.bin", binary: true, sizeBytes: 7 }],
  },
  {
    name: "workflow change when the repository allows it",
    change: async (r) => {
      await r.write(".github/workflows/ci.yml", "on: pull_request\n");
      await r.git("add", "-A");
      return diff(r);
    },
    policy: { allowWorkflows: true },
    accept: [{ path: ".github/workflows/ci.yml" }],
  },
  { name: "empty diff", change: async (r) => diff(r), accept: [] },
  {
    name: "new symlink",
    change: async (r) => {
      await r.git("update-index", "--add", "--cacheinfo", `120000,${await r.blob("README.md")},link`);
      return diff(r);
    },
    reject: ["symlink"],
    rejectPath: "link",
  },
  {
    name: "symlink to a host file",
    change: async (r) => {
      await r.git("update-index", "--add", "--cacheinfo", `120000,${await r.blob("/home/app/.env")},src/config.js`);
      return diff(r);
    },
    reject: ["symlink"],
  },
  {
    name: "retargeting an existing symlink",
    change: async (r) => {
      await r.git("update-index", "--cacheinfo", `120000,${await r.blob("/etc/shadow")},existing-link`);
      return diff(r);
    },
    reject: ["symlink"],
  },
  {
    name: "submodule (gitlink)",
    change: async (r) => {
      const head = (await r.git("rev-parse", "HEAD")).toString().trim();
      await r.git("update-index", "--add", "--cacheinfo", `160000,${head},vendor/lib`);
      return diff(r);
    },
    reject: ["submodule"],
  },
  {
    name: ".gitmodules",
    change: async (r) => {
      await r.write(".gitmodules", '[submodule "x"]\n\tpath = x\n\turl = ../../evil\n');
      await r.git("add", "-A");
      return diff(r);
    },
    reject: ["submodule"],
  },
  {
    name: "mode change on an existing file",
    change: async (r) => {
      await r.git("update-index", "--chmod=+x", "src/app.js");
      return diff(r);
    },
    reject: ["mode"],
  },
  {
    name: "dropping the executable bit is a mode change too",
    change: async (r) => {
      await r.git("update-index", "--chmod=-x", "scripts/run.sh");
      return diff(r);
    },
    reject: ["mode"],
  },
  {
    name: "workflow change by default",
    change: async (r) => {
      await r.write(".github/workflows/ci.yml", "on: push\njobs: {exfil: {runs-on: x}}\n");
      await r.git("add", "-A");
      return diff(r);
    },
    reject: ["workflow"],
    rejectPath: ".github/workflows/ci.yml",
  },
  {
    name: "new workflow file with odd case",
    change: async (r) => {
      await r.write(".github/Workflows/evil.yml", "on: push\n");
      await r.git("add", "-A");
      return diff(r);
    },
    reject: ["workflow"],
  },
  {
    name: "protected path",
    change: async (r) => {
      await r.write("secrets/config.json", '{"x":1}\n');
      await r.git("add", "-A");
      return diff(r);
    },
    policy: { protectedPaths: ["secrets"] },
    reject: ["protected"],
  },
  {
    name: "newline and escape sequence in file names",
    change: async (r) => {
      await r.write("a\nb.txt", "x");
      await r.write("\u001b[31mred.txt", "x");
      await r.git("add", "-A");
      return diff(r);
    },
    reject: ["path", "path"],
  },
  {
    name: "bidirectional override in a file name",
    change: async (r) => {
      await r.write("invoice\u202Etxt.exe", "x");
      await r.git("add", "-A");
      return diff(r);
    },
    reject: ["path"],
  },
  {
    name: "invalid UTF-8 in a file name",
    change: async (r) => {
      await r.write(Buffer.from([0x6c, 0x61, 0x74, 0x69, 0x6e, 0xe9, 0x2e, 0x74, 0x78, 0x74]), "x");
      await r.git("add", "-A");
      return diff(r);
    },
    reject: ["path"],
    rejectPath: "latin\\351.txt",
  },
  {
    name: "huge text file",
    change: async (r) => {
      await r.write("big.txt", "x".repeat(99) + "\n".repeat(1) + "y\n".repeat(600_000));
      await r.git("add", "-A");
      return diff(r);
    },
    reject: ["file-size"],
  },
  {
    name: "huge binary file that compresses to almost nothing",
    change: async (r) => {
      await r.write("zeros.bin", Buffer.alloc(4 * 1024 * 1024));
      await r.git("add", "-A");
      return diff(r);
    },
    reject: ["file-size"],
  },
  {
    name: "small binary delta that produces a large file",
    change: async (r) => {
      const base = randomBytes(1536 * 1024);
      await r.write("data.bin", base);
      await r.git("add", "-A");
      await r.git("commit", "-q", "-m", "binary");
      await r.write("data.bin", Buffer.concat([base, Buffer.from([1])]));
      await r.git("add", "-A");
      const patch = await diff(r);
      expect(patch.toString("latin1")).toMatch(/^delta \d+$/m);
      expect(patch.length).toBeLessThan(64 * 1024);
      return patch;
    },
    policy: { maxFileBytes: 1024 * 1024 },
    reject: ["file-size"],
  },
  {
    name: "too many files",
    change: async (r) => {
      for (let i = 0; i < 5; i++) await r.write(`many/${i}.txt`, `${i}\n`);
      await r.git("add", "-A");
      return diff(r);
    },
    policy: { maxFiles: 4 },
    reject: ["file-count"],
  },
  {
    name: "patch too large",
    change: async (r) => {
      await r.write("src/app.js", "x\n".repeat(2000));
      await r.git("add", "-A");
      return diff(r);
    },
    policy: { maxPatchBytes: 1000 },
    reject: ["patch-size"],
  },
  {
    name: "'..' path (rewritten from real output)",
    change: async (r) => {
      await r.write("evil.txt", "x\n");
      await r.git("add", "-A");
      return (await diff(r)).toString("latin1").replaceAll("evil.txt", "../../home/app/.bashrc");
    },
    reject: ["path"],
    rejectPath: "../../home/app/.bashrc",
  },
  {
    name: "absolute path (rewritten)",
    change: async (r) => {
      await r.write("evil.txt", "x\n");
      await r.git("add", "-A");
      return (await diff(r)).toString("latin1").replaceAll("a/evil.txt", "a//etc/cron.d/x").replaceAll("b/evil.txt", "b//etc/cron.d/x");
    },
    reject: ["path"],
  },
  {
    name: "'..' hidden in octal escapes of a quoted name",
    change: async (r) => {
      await r.write("evil.txt", "x\n");
      await r.git("add", "-A");
      return (await diff(r)).toString("latin1").replaceAll("a/evil.txt", '"a/..\\057..\\057etc\\057passwd"').replaceAll("b/evil.txt", '"b/..\\057..\\057etc\\057passwd"');
    },
    reject: ["path"],
  },
  {
    name: "hook under .git/ (rewritten)",
    change: async (r) => {
      await r.write("hook", "#!/bin/sh\ntouch /tmp/pwned\n");
      await r.git("add", "-A");
      return (await diff(r)).toString("latin1").replaceAll("/hook", "/.git/hooks/pre-commit");
    },
    reject: ["git-dir"],
  },
  {
    name: "nested and case-folded .git directories (rewritten)",
    change: async (r) => {
      await r.write("one", "[core]\n\tfsmonitor = touch /tmp/pwned\n");
      await r.write("two", "x\n");
      await r.git("add", "-A");
      return (await diff(r)).toString("latin1").replaceAll("/one", "/vendor/.git/config").replaceAll("/two", "/.GIT/config");
    },
    reject: ["git-dir", "git-dir"],
  },
  {
    name: "headers that disagree about the name",
    change: async (r) => {
      await r.write("safe.txt", "x\n");
      await r.git("add", "-A");
      return (await diff(r)).toString("latin1").replace("+++ b/safe.txt", "+++ b/.github/workflows/x.yml");
    },
    reject: ["malformed", "workflow"],
  },
  {
    name: "text before the diff",
    change: async (r) => {
      await r.write("safe.txt", "x\n");
      await r.git("add", "-A");
      return `garbage\n${(await diff(r)).toString("latin1")}`;
    },
    reject: ["malformed"],
  },
  {
    name: "binary change without --binary data",
    change: async (r) => {
      await r.write("logo.bin", Buffer.from([0, 1, 2]));
      await r.git("add", "-A");
      return r.git("diff", "--cached", "--full-index");
    },
    reject: ["malformed"],
  },
  {
    name: "every violation is listed, not just the first",
    change: async (r) => {
      await r.write(".github/workflows/ci.yml", "on: [push]\n");
      await r.write("src/ok.js", "export {};\n");
      await r.git("add", "-A");
      await r.git("update-index", "--add", "--cacheinfo", `120000,${await r.blob("/etc/passwd")},leak`);
      return diff(r);
    },
    reject: ["symlink", "workflow"],
  },
];

describe("validatePatch with real git output", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const repo = await baseRepo();
    const patch = await c.change(repo);
    if (c.accept) {
      const files = validatePatch(patch, c.policy);
      expect(files).toHaveLength(c.accept.length);
      const byPath = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
      c.accept.forEach((expected, i) => expect(byPath[i]).toMatchObject(expected));
      // Applying the same patch with git must work: the parser read what git apply reads.
      if (files.length > 0) {
        await repo.git("reset", "-q", "--hard", "HEAD");
        await runGit(["apply", "--check", "--index", "-"], { cwd: repo.dir, input: patch });
      }
      return;
    }
    let error: unknown;
    try {
      validatePatch(patch, c.policy);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatchPolicyError);
    expect(error).toBeInstanceOf(PatchRejectedError);
    const violations = (error as PatchPolicyError).violations;
    expect(violations.map((v) => v.rule).sort()).toEqual(expect.arrayContaining([...c.reject!].sort()));
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set(c.reject));
    if (c.rejectPath) expect(violations.map((v) => v.path)).toContain(c.rejectPath);
    // Messages never carry raw control characters (they end up in logs and comments).
    expect((error as Error).message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
  });
});

describe("decodeGitQuotedName", () => {
  it.each([
    ['"a/\\303\\244.txt"', Buffer.from("a/ä.txt")],
    ['"a/x\\ty\\n"', Buffer.from("a/x\ty\n")],
    ['"a/q\\"q\\\\"', Buffer.from('a/q"q\\')],
    ['"a/\\033[31m"', Buffer.from("a/\u001b[31m")],
  ])("%s", (quoted, expected) => {
    expect(decodeGitQuotedName(quoted)).toEqual(expected);
  });
  it.each(['"a/x', 'a/x"', '"a/\\9"', '"a/\\"'])("rejects %s", (bad) => {
    expect(decodeGitQuotedName(bad)).toBeUndefined();
  });
});
