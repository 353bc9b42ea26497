import tar from "tar-stream";
import { SandboxError } from "../../src/errors/index.js";
import { mergeWorkspaceLayers, normalizeWorkspacePath, normalizeWorkspaceTar, prefixTarStream, readBounded, tarFromFiles } from "../../src/sandbox/workspace-tar.js";
import { Readable } from "node:stream";
import { makeFixtureRepo } from "./helpers.js";

type Entry = { name: string; type?: "file" | "directory" | "symlink" | "link" | "character-device" | "fifo"; linkname?: string; mode?: number; uid?: number; body?: string };

async function makeTar(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, type: e.type ?? "file", linkname: e.linkname, mode: e.mode ?? 0o644, uid: e.uid ?? 0, gid: 0 }, e.body ?? "");
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readTar(buffer: Buffer): Promise<{ name: string; type: string; mode: number; uid: number; gid: number; linkname?: string; body: string }[]> {
  const extract = tar.extract();
  extract.end(buffer);
  const out = [];
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    const h = entry.header;
    out.push({ name: h.name, type: h.type, mode: h.mode, uid: h.uid, gid: h.gid, linkname: h.linkname || undefined, body: Buffer.concat(chunks).toString() });
  }
  return out;
}

describe("normalizeWorkspaceTar", () => {
  it("re-owns entries to the sandbox user and strips setuid/setgid/sticky bits", async () => {
    const input = await makeTar([
      { name: "./", type: "directory", mode: 0o755 },
      { name: "./src/", type: "directory", mode: 0o1777 },
      { name: "./src/a.js", body: "a", mode: 0o4755 },
      { name: "./b.txt", body: "b", mode: 0o2644 },
      { name: "link", type: "symlink", linkname: "/etc/passwd" },
    ]);
    const { tar: out, entries } = await normalizeWorkspaceTar(input);
    expect(entries).toEqual([
      { path: "src", type: "directory" },
      { path: "src/a.js", type: "file" },
      { path: "b.txt", type: "file" },
      { path: "link", type: "symlink" },
    ]);
    const read = await readTar(out);
    expect(read.map((e) => [e.name, e.mode.toString(8), e.uid, e.gid])).toEqual([
      ["src/", "755", 10001, 10001],
      ["src/a.js", "755", 10001, 10001],
      ["b.txt", "644", 10001, 10001],
      ["link", "755", 10001, 10001],
    ]);
    expect(read[1].body).toBe("a");
    expect(read[3].linkname).toBe("/etc/passwd");
  });

  it.each<[string, Entry[]]>([
    ["a hard link", [{ name: "x", type: "link", linkname: "/etc/shadow" }]],
    ["a device", [{ name: "sda", type: "character-device" }]],
    ["a FIFO", [{ name: "pipe", type: "fifo" }]],
    ["a '..' path", [{ name: "../escape.txt" }]],
    ["an absolute path", [{ name: "/etc/cron.d/x" }]],
    ["a path through a symlink of the same tar", [{ name: "d", type: "symlink", linkname: "/" }, { name: "d/etc/x", body: "x" }]],
  ])("refuses %s", async (_name, entries) => {
    await expect(normalizeWorkspaceTar(await makeTar(entries))).rejects.toThrow(SandboxError);
  });

  it("accepts git archive output, including a symlink to a host path as a mere link", async () => {
    const repo = await makeFixtureRepo();
    try {
      const blob = (await repo.git(["hash-object", "-w", "--stdin"], "/etc/hostname")).toString().trim();
      await repo.git(["update-index", "--add", "--cacheinfo", `120000,${blob},leak`]);
      await repo.git(["commit", "-q", "-m", "link"]);
      const { entries, tar: out } = await normalizeWorkspaceTar(await repo.archive());
      expect(entries).toContainEqual({ path: "leak", type: "symlink" });
      expect(entries).toContainEqual({ path: "package.json", type: "file" });
      const leak = (await readTar(out)).find((e) => e.name === "leak");
      expect(leak).toMatchObject({ type: "symlink", linkname: "/etc/hostname", body: "" });
    } finally {
      await repo.cleanup();
    }
  });
});

describe("helpers", () => {
  it("tarFromFiles keeps the executable bit only", async () => {
    const read = await readTar(await tarFromFiles([{ path: "a.sh", content: "x", mode: 0o4755 }, { path: "b/c.txt", content: Buffer.from([0, 255]) }]));
    expect(read.map((e) => [e.name, e.mode.toString(8)])).toEqual([["a.sh", "755"], ["b/c.txt", "644"]]);
    expect(Buffer.from(read[1].body, "utf8").length).toBeGreaterThan(0);
  });
  it.each(["../x", "/x", "a/../b", "a//b", "a\\b", "a\0b", "x".repeat(256)])("normalizeWorkspacePath refuses %j", (p) => {
    expect(() => normalizeWorkspacePath(p)).toThrow(SandboxError);
  });
  it("normalizeWorkspacePath strips ./ and trailing slashes", () => {
    expect(normalizeWorkspacePath("./a/b/")).toBe("a/b");
    expect(normalizeWorkspacePath("./")).toBeUndefined();
  });
  it("readBounded caps streams and buffers", async () => {
    await expect(readBounded(Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), 15)).rejects.toThrow(/larger than 15/);
    await expect(readBounded(Buffer.alloc(16), 15)).rejects.toThrow(SandboxError);
    expect((await readBounded(Readable.from([Buffer.alloc(10)]), 15)).length).toBe(10);
  });
});

describe("mergeWorkspaceLayers", () => {
  it("equals applying the layers one by one", async () => {
    const merged = await mergeWorkspaceLayers([
      { deletions: [], tar: await tarFromFiles([{ path: "a/x", content: "1" }, { path: "b", content: "b1" }, { path: "keep", content: "k1" }]) },
      { deletions: ["a", "gone"] },
      { deletions: ["b"], tar: await tarFromFiles([{ path: "a/y", content: "2" }, { path: "b", content: "b2" }]) },
      { deletions: [], tar: await tarFromFiles([{ path: "keep", content: "k2" }]) },
    ]);
    expect(merged.deletions).toEqual(["a", "gone", "b"]);
    const files = (await readTar(merged.tar!)).map((e) => [e.name, e.body]);
    expect(files.sort()).toEqual([["a/y", "2"], ["b", "b2"], ["keep", "k2"]]);
  });

  it("passes a single layer through and drops an empty tar", async () => {
    const only = { deletions: ["x"] };
    expect(await mergeWorkspaceLayers([only])).toBe(only);
    expect(await mergeWorkspaceLayers([{ deletions: [], tar: await tarFromFiles([{ path: "x", content: "x" }]) }, { deletions: ["x"] }])).toEqual({ deletions: ["x"] });
  });
});

describe("prefixTarStream (dependency artefacts relayed between containers)", () => {
  it("moves entries under the prefix, re-owns them and drops links and devices", async () => {
    const input = await makeTar([
      { name: "./", type: "directory" },
      { name: "./node_modules/", type: "directory", mode: 0o777 },
      { name: "./node_modules/x.js", body: "x", mode: 0o4755, uid: 0 },
      { name: "./node_modules/.bin/x", type: "symlink", linkname: "../x.js" },
      { name: "./hard", type: "link", linkname: "node_modules/x.js" },
      { name: "./dev", type: "character-device" },
    ]);
    const out = await readBounded(prefixTarStream(Readable.from([input]), "/opt/codegen-deps", 1024 * 1024), 1024 * 1024);
    const read = await readTar(out);
    expect(read.map((e) => [e.name, e.type, e.mode.toString(8), e.uid])).toEqual([
      ["opt/codegen-deps/", "directory", "755", 10001],
      ["opt/codegen-deps/node_modules/", "directory", "755", 10001],
      ["opt/codegen-deps/node_modules/x.js", "file", "755", 10001],
      ["opt/codegen-deps/node_modules/.bin/x", "symlink", "755", 10001],
    ]);
    expect(read[2].body).toBe("x");
  });

  it("fails once the input passes the byte cap", async () => {
    const input = await makeTar([{ name: "big", body: "y".repeat(64 * 1024) }]);
    await expect(readBounded(prefixTarStream(Readable.from([input]), "opt/d", 4096), 1024 * 1024)).rejects.toThrow(/larger than 4096/);
  });
});
