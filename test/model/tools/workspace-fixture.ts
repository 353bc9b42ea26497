import { execFileSync } from "node:child_process";
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A small repository clone with every trap the workspace tools must refuse: a fake .git, workflows,
 * protected files, links (to directories outside, to files inside), a FIFO, a hard link, binary and
 * oversized files, and node_modules.
 */
export const FIXTURE_MAX_FILE_BYTES = 4096;
export const FIXTURE_PROTECTED = ["secrets/**", "**/*.env"];

export async function makeWorkspace(): Promise<{ root: string; outside: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), "codegen-ws-"));
  const outside = await mkdtemp(path.join(tmpdir(), "codegen-outside-"));
  const put = async (relative: string, content: string | Buffer) => {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), content);
  };
  await writeFile(path.join(outside, "secret.txt"), "outside secret\n");

  await put("README.md", "# Demo\n\nA demo repository.\n");
  await put("src/a.ts", "const a = 1;\nconst b = 2;\nexport { a, b };\n");
  await put("src/dup.ts", "call();\ncall();\n");
  await put("src/crlf.txt", "one\r\ntwo\r\nthree\r\n");
  await put("src/nested/deep/deeper/file.ts", "export const deep = true;\n");
  await put("src/empty.ts", "");
  await put(".git/config", "[core]\n\trepositoryformatversion = 0\n");
  await put(".git/HEAD", "ref: refs/heads/main\n");
  await put(".github/workflows/ci.yml", "on: push\n");
  await put("secrets/key.pem", "not a real key: a protected file\n");
  await put("config/prod.env", "TOKEN=call-me\n");
  await put("node_modules/pkg/index.js", "module.exports = function call() {};\n");
  await put("bin.dat", Buffer.from([0x63, 0x61, 0x6c, 0x6c, 0x00, 0x01, 0x02]));
  await put("latin1.txt", Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  await put("big.txt", `${"call();\n".repeat(FIXTURE_MAX_FILE_BYTES / 8 + 10)}`);
  await put("src/shared.ts", "export const shared = 1;\n");
  await link(path.join(root, "src/shared.ts"), path.join(root, "src/hardlinked.ts"));
  await symlink(outside, path.join(root, "outside-link"));
  await symlink("../README.md", path.join(root, "src/readme-link.md"));
  await symlink(path.join(outside, "secret.txt"), path.join(root, "src/secret-link.txt"));
  execFileSync("mkfifo", [path.join(root, "pipe")]);

  return {
    root,
    outside,
    cleanup: async () => {
      await rm(root, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    },
  };
}
