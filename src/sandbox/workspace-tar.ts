import { PassThrough, type Readable } from "node:stream";
import tar from "tar-stream";
import { SandboxError } from "../errors/index.js";
import { SANDBOX_UID } from "./labels.js";

/**
 * Tars that go into a sandbox. The host only ever builds, parses and re-packs them in memory (tar-stream);
 * it never extracts anything to its own disk. Every entry is re-written with the sandbox user as owner and
 * without setuid/setgid/sticky bits, and only regular files, directories and symlinks pass (a symlink is
 * harmless inside the container: it points into the container's own filesystem).
 */

export type WorkspaceEntryType = "file" | "directory" | "symlink";

export interface WorkspaceEntry {
  path: string;
  type: WorkspaceEntryType;
}

export interface NormalizedTar {
  tar: Buffer;
  entries: WorkspaceEntry[];
}

/** Read a stream (or take a Buffer) with a byte cap. */
export async function readBounded(input: Readable | Buffer, maxBytes: number, what = "workspace tar"): Promise<Buffer> {
  if (Buffer.isBuffer(input)) {
    if (input.length > maxBytes) throw tooLarge(what, maxBytes);
    return input;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > maxBytes) {
      input.destroy();
      throw tooLarge(what, maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(what: string, maxBytes: number): SandboxError {
  return new SandboxError(`The ${what} is larger than ${maxBytes} bytes: raise the limit or make the repository smaller.`);
}

/**
 * A relative, normalised workspace path, or undefined for the archive root (`./`). Rejects absolute paths,
 * `..`, empty or `.` segments inside, NUL, backslashes and names longer than the kernel accepts.
 */
export function normalizeWorkspacePath(name: string): string | undefined {
  let path = name;
  while (path.startsWith("./")) path = path.slice(2);
  while (path.endsWith("/")) path = path.slice(0, -1);
  if (path === "" || path === ".") return undefined;
  const problem = workspacePathProblem(path);
  if (problem) throw new SandboxError(`Refusing tar entry ${JSON.stringify(name)}: ${problem}.`);
  return path;
}

export function workspacePathProblem(path: string): string | undefined {
  if (path.startsWith("/")) return "absolute path";
  if (path.includes("\0")) return "NUL byte in name";
  if (path.includes("\\")) return "backslash in name";
  if (Buffer.byteLength(path) > 4096) return "path too long";
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") return "empty or '.' path segment";
    if (segment === "..") return "'..' path segment";
    if (Buffer.byteLength(segment) > 255) return "path segment too long";
  }
  return undefined;
}

function entryType(type: string | undefined): WorkspaceEntryType | "skip" | undefined {
  switch (type) {
    case "file":
    case "contiguous-file":
      return "file";
    case "directory":
      return "directory";
    case "symlink":
      return "symlink";
    case "pax-global-header": // git archive writes the commit id here; it carries no file
      return "skip";
    default:
      return undefined;
  }
}

type HeaderArgument = Partial<tar.Header> & Pick<tar.Header, "name">;

function sanitizedHeader(path: string, type: WorkspaceEntryType, header: Partial<tar.Header>): HeaderArgument {
  const executable = ((header.mode ?? 0o644) & 0o111) !== 0;
  return {
    name: type === "directory" ? `${path}/` : path,
    type,
    mode: type === "directory" || type === "symlink" || executable ? 0o755 : 0o644,
    uid: SANDBOX_UID,
    gid: SANDBOX_UID,
    uname: "",
    gname: "",
    mtime: header.mtime ?? new Date(0),
    size: type === "file" ? header.size : 0,
    linkname: type === "symlink" ? header.linkname : undefined,
  };
}

/**
 * Re-pack a tar for the workspace (see the module comment) and list its entries. Rejects hard links,
 * devices, FIFOs, unsafe names, and an entry below a path the same tar makes a symlink (the two-step
 * symlink trick).
 */
export async function normalizeWorkspaceTar(input: Buffer, options: { maxEntries?: number } = {}): Promise<NormalizedTar> {
  const maxEntries = options.maxEntries ?? 1_000_000;
  const entries: WorkspaceEntry[] = [];
  const directories = new Set<string>();
  const pack = tar.pack();
  const output = collect(pack);
  const extract = tar.extract();
  extract.end(input);
  for await (const entry of extract) {
    const kind = entryType(entry.header.type);
    if (kind === undefined) {
      entry.resume();
      throw new SandboxError(`Refusing tar entry ${JSON.stringify(entry.header.name)} of type ${entry.header.type}: only files, directories and symlinks go into a sandbox.`);
    }
    const path = kind === "skip" ? undefined : normalizeWorkspacePath(entry.header.name);
    if (kind === "skip" || path === undefined) {
      entry.resume();
      continue;
    }
    if (entries.length >= maxEntries) throw new SandboxError(`The workspace tar has more than ${maxEntries} entries.`);
    // Declare missing parent directories, or the daemon creates them owned by root (unwritable for tests).
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join("/");
      if (directories.has(parent)) continue;
      directories.add(parent);
      entries.push({ path: parent, type: "directory" });
      await addEntry(pack, sanitizedHeader(parent, "directory", { name: parent, mtime: entry.header.mtime }));
    }
    if (kind === "directory") {
      if (directories.has(path)) {
        entry.resume();
        continue;
      }
      directories.add(path);
    }
    entries.push({ path, type: kind });
    const body = kind === "file" ? await readEntry(entry) : undefined;
    if (kind !== "file") entry.resume();
    await addEntry(pack, sanitizedHeader(path, kind, entry.header), body);
  }
  pack.finalize();
  const tarBuffer = await output;
  assertNoEntryBelowSymlink(entries);
  return { tar: tarBuffer, entries };
}

function assertNoEntryBelowSymlink(entries: WorkspaceEntry[]): void {
  const symlinks = new Set(entries.filter((e) => e.type === "symlink").map((e) => e.path));
  if (symlinks.size === 0) return;
  for (const { path } of entries) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const ancestor = parts.slice(0, i).join("/");
      if (symlinks.has(ancestor)) {
        throw new SandboxError(`Refusing tar entry ${JSON.stringify(path)}: it lies below the symlink ${JSON.stringify(ancestor)}.`);
      }
    }
  }
}

async function readEntry(entry: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function addEntry(pack: tar.Pack, header: HeaderArgument, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null): void => (error ? reject(error) : resolve());
    pack.entry(header, body ?? Buffer.alloc(0), done);
  });
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A change to the workspace: deletions first, then the tar's entries. */
export interface WorkspaceLayer {
  deletions: string[];
  tar?: Buffer;
}

/**
 * Collapse several layers (applied in order) into one: the deletions to run first, then one tar with the
 * final version of every entry. Equivalent to applying them one by one, with one copy into the container.
 */
export async function mergeWorkspaceLayers(layers: WorkspaceLayer[]): Promise<WorkspaceLayer> {
  if (layers.length === 1) return layers[0];
  const entries = new Map<string, { header: HeaderArgument; body?: Buffer }>();
  const deletions: string[] = [];
  for (const layer of layers) {
    for (const path of layer.deletions) {
      for (const key of [...entries.keys()]) if (key === path || key.startsWith(`${path}/`)) entries.delete(key);
      if (!deletions.includes(path)) deletions.push(path);
    }
    if (!layer.tar) continue;
    const extract = tar.extract();
    extract.end(layer.tar);
    for await (const entry of extract) {
      const path = normalizeWorkspacePath(entry.header.name);
      const body = await readEntry(entry);
      if (path === undefined) continue;
      entries.delete(path); // a re-added path moves after its (re-created) parents
      entries.set(path, { header: { ...entry.header }, body });
    }
  }
  if (entries.size === 0) return { deletions };
  const pack = tar.pack();
  const output = collect(pack);
  for (const { header, body } of entries.values()) await addEntry(pack, header, header.type === "file" ? body : undefined);
  pack.finalize();
  return { deletions, tar: await output };
}

export interface FileToTar {
  path: string;
  content: Buffer | string;
  /** Unix mode bits; only the executable bit matters. */
  mode?: number;
}

/** A workspace tar of the given files (e.g. the host's edited files for `Sandbox.update`). */
export async function tarFromFiles(files: FileToTar[]): Promise<Buffer> {
  const pack = tar.pack();
  const output = collect(pack);
  for (const file of files) {
    const path = normalizeWorkspacePath(file.path);
    if (path === undefined) throw new SandboxError(`Refusing to tar the workspace root as a file.`);
    const body = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, "utf8");
    // Now, not the epoch: tools that cache by mtime (and size) must see the file as changed.
    await addEntry(pack, sanitizedHeader(path, "file", { name: path, mode: file.mode ?? 0o644, size: body.length, mtime: new Date() }), body);
  }
  pack.finalize();
  return output;
}

/**
 * Stream-rewrite a tar read from a container (the prepare phase's install artefacts) so that every entry
 * lands under `prefix`, sanitised as above. The host never extracts it: the bytes go straight into another
 * container's `putArchive`. Fails once more than `maxBytes` have been read.
 */
export function prefixTarStream(input: NodeJS.ReadableStream, prefix: string, maxBytes: number): Readable {
  const out = new PassThrough();
  const pack = tar.pack();
  const extract = tar.extract();
  // The error reaches the reader through `out`; the inner streams only need to stop.
  extract.on("error", () => undefined);
  pack.on("error", () => undefined);
  let failed = false;
  const fail = (error: Error): void => {
    if (failed) return;
    failed = true;
    (input as Readable).destroy?.();
    extract.destroy(error);
    pack.destroy(error);
    out.destroy(error);
  };
  // Feed the container's tar into the parser by hand, counting bytes (node and streamx streams mixed).
  let read = 0;
  input.on("data", (chunk: Buffer) => {
    if (failed) return;
    read += chunk.length;
    if (read > maxBytes) return fail(tooLarge("dependency artefact tar", maxBytes));
    if (!extract.write(chunk)) input.pause();
  });
  extract.on("drain", () => input.resume());
  input.on("end", () => extract.end(undefined));
  input.on("error", (error: Error) => fail(error));
  const base = prefix.replace(/^\/+|\/+$/g, "");
  void (async () => {
    await addEntry(pack, { name: `${base}/`, type: "directory", mode: 0o755, uid: SANDBOX_UID, gid: SANDBOX_UID });
    for await (const entry of extract) {
      const kind = entryType(entry.header.type);
      const path = kind === undefined || kind === "skip" ? undefined : normalizeWorkspacePath(entry.header.name);
      if (kind === undefined || kind === "skip" || path === undefined) {
        // Devices, FIFOs and hard links from an install script are dropped, not relayed.
        entry.resume();
        continue;
      }
      const header = sanitizedHeader(`${base}/${path}`, kind, entry.header);
      if (kind === "file") {
        await new Promise<void>((resolve, reject) => {
          const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
          entry.pipe(sink);
        });
      } else {
        entry.resume();
        await addEntry(pack, header);
      }
    }
    pack.finalize();
  })().catch((error: unknown) => fail(error as Error));
  pack.pipe(out);
  return out;
}
