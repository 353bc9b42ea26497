import { randomUUID } from "node:crypto";
import { jest } from "@jest/globals";
import { SandboxError } from "../../src/errors/index.js";
import { DockerSandboxProvider } from "../../src/sandbox/docker-sandbox-provider.js";
import type { DockerSandbox } from "../../src/sandbox/docker-sandbox.js";
import { DependencyInstallError } from "../../src/sandbox/errors.js";
import { BASE_SANDBOX_ENV } from "../../src/sandbox/hardened-container.js";
import { LABEL_CREATED, LABEL_JOB, LABEL_SANDBOX } from "../../src/sandbox/labels.js";
import { tarFromFiles } from "../../src/sandbox/workspace-tar.js";
import { docker, eventually, jobContainers, makeFixtureRepo, SANDBOX_IMAGE, text, type FixtureRepo } from "./helpers.js";

jest.setTimeout(120_000);

const limits = { commandTimeoutMs: 20_000, memoryBytes: 256 * 1024 ** 2, cpus: 1, pids: 128, outputBytes: 256 * 1024 };

describe("DockerSandboxProvider (real Docker)", () => {
  const provider = new DockerSandboxProvider({ limits });
  let repo: FixtureRepo;
  let sandbox: DockerSandbox;
  const jobId = `provider-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    repo = await makeFixtureRepo();
    sandbox = await provider.startSandbox({ jobId, image: SANDBOX_IMAGE, workspace: await repo.archive() });
  });

  afterAll(async () => {
    await sandbox?.dispose();
    await repo?.cleanup();
    expect(await jobContainers(jobId)).toHaveLength(0);
  });

  it("starts the container with every hardening setting (docker inspect)", async () => {
    const info = await (await docker()).getContainer(sandbox.containerId!).inspect();
    const host = info.HostConfig;
    expect(host.NetworkMode).toBe("none");
    expect((info.Config as { NetworkDisabled?: boolean }).NetworkDisabled).toBe(true);
    expect(Object.keys(info.NetworkSettings.Networks ?? {}).filter((n) => n !== "none")).toEqual([]);
    expect(host.CapDrop).toEqual(["ALL"]);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.Privileged).toBe(false);
    expect(host.SecurityOpt).toContain("no-new-privileges:true");
    expect((host.SecurityOpt ?? []).some((o: string) => o.includes("unconfined"))).toBe(false);
    expect(host.PidsLimit).toBe(128);
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Memory).toBe(256 * 1024 ** 2);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(1e9);
    expect(host.LogConfig).toEqual({ Type: "none", Config: {} });
    expect(host.Binds ?? []).toEqual([]);
    expect(host.Init).toBe(true);
    expect(host.OomScoreAdj).toBe(500);
    expect(host.IpcMode).toBe("private");
    expect(info.Config.User).toBe("10001:10001");
    const ulimits = Object.fromEntries((host.Ulimits ?? []).map((u) => [u.Name, u]));
    expect(ulimits.nofile).toMatchObject({ Soft: 1024, Hard: 1024 });
    expect(ulimits.fsize?.Hard).toBeGreaterThan(0);
    expect(ulimits.core).toMatchObject({ Soft: 0, Hard: 0 });
    expect(host.Tmpfs?.["/tmp"]).toMatch(/size=\d+/);
    // The only mount is the tmpfs-backed anonymous volume at /workspace: no socket, no host path.
    expect(info.Mounts).toHaveLength(1);
    expect(info.Mounts[0]).toMatchObject({ Type: "volume", Destination: "/workspace", Driver: "local" });
    expect(JSON.stringify(info.Mounts)).not.toContain("docker.sock");
    expect(info.Config.Labels).toMatchObject({ [LABEL_SANDBOX]: "1", [LABEL_JOB]: jobId });
    expect(Number(info.Config.Labels[LABEL_CREATED])).toBeGreaterThan(Date.now() - 600_000);
    expect(host.Runtime).toBe("runc");
    // The environment is the allow-list: nothing of this process's environment.
    const names = (env: string[] | undefined): string[] => (env ?? []).map((e) => e.slice(0, e.indexOf("=")));
    const imageEnv = (await (await docker()).getImage(SANDBOX_IMAGE).inspect()).Config.Env;
    const allowed = new Set([...Object.keys(BASE_SANDBOX_ENV), ...names(imageEnv)]);
    expect(names(info.Config.Env).filter((name) => !allowed.has(name))).toEqual([]);
  });

  it("runs the repository's test command and separates stdout, stderr and their interleaving", async () => {
    const ok = await sandbox.run("npm test --silent");
    expect(text(ok.stdout)).toContain("ok 1 - add");
    expect(ok.exitCode).toBe(0);
    expect(ok.timedOut || ok.truncated || ok.oomKilled).toBe(false);

    const mixed = await sandbox.run("echo one; sleep 0.05; echo two >&2; sleep 0.05; echo three; exit 7");
    expect(mixed.exitCode).toBe(7);
    expect(text(mixed.stdout)).toBe("one\nthree\n");
    expect(text(mixed.stderr)).toBe("two\n");
    expect(text(mixed.output)).toBe("one\ntwo\nthree\n");
  });

  it("returns binary output byte for byte", async () => {
    const result = await sandbox.run(`node -e 'process.stdout.write(Buffer.from(Array.from({length: 4096}, (_, i) => i % 256)))'`);
    const expected = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
    expect(result.stdout.equals(expected)).toBe(true);
  });

  it("applies updates and deletions to the warm container", async () => {
    const starts = sandbox.containerStarts;
    await sandbox.update({
      tar: await tarFromFiles([
        { path: "src/add.js", content: "export function add(a, b) {\n  return a - b;\n}\n" },
        { path: "src/new/deep.txt", content: "deep" },
        { path: "bin/tool.sh", content: "#!/bin/sh\necho tool-ran\n", mode: 0o755 },
      ]),
      deletions: ["README.md"],
    });
    const result = await sandbox.run("npm test --silent; echo exit=$?; cat src/new/deep.txt; ./bin/tool.sh; ls README.md 2>&1; stat -c %u src/add.js src/new");
    expect(text(result.output)).toContain("exit=1");
    expect(text(result.output)).toContain("deep");
    expect(text(result.output)).toContain("tool-ran");
    expect(text(result.output)).toMatch(/README.md'?: No such file/);
    expect(text(result.output)).toMatch(/^10001\n10001\n$/m); // new directories belong to the sandbox user too
    expect(sandbox.containerStarts).toBe(starts);
  });

  it("several updates before one run apply in order, in the same exec as the command", async () => {
    const starts = sandbox.containerStarts;
    await sandbox.update({ tar: await tarFromFiles([{ path: "layer/a.txt", content: "one" }, { path: "layer/keep.txt", content: "keep" }]) });
    await sandbox.update({ deletions: ["layer/a.txt"] });
    await sandbox.update({ deletions: ["layer/b"], tar: await tarFromFiles([{ path: "layer/b/c.txt", content: "three" }]) });
    await sandbox.update({ tar: await tarFromFiles([{ path: "layer/keep.txt", content: "kept-v2" }]) });
    const result = await sandbox.run("find layer -type f | sort; cat layer/keep.txt; echo; test $(( $(date +%s) - $(stat -c %Y layer/keep.txt) )) -lt 600 && echo fresh-mtime");
    expect(text(result.stdout)).toBe("layer/b/c.txt\nlayer/keep.txt\nkept-v2\nfresh-mtime\n");
    expect(sandbox.containerStarts).toBe(starts);
  });

  it("after a kill, the next run starts a fresh container and replays the workspace", async () => {
    await sandbox.run("echo scratch > /tmp/scratch; echo scratch > scratch.txt");
    const before = sandbox.containerId;
    const killed = await sandbox.run("echo partial; sleep 30", { timeoutMs: 1000 });
    expect(killed.timedOut).toBe(true);
    expect(killed.exitCode).toBeNull();
    expect(text(killed.output)).toBe("partial\n");
    expect(sandbox.containerId).toBeUndefined();
    expect(await eventually(async () => (await jobContainers(jobId)).length === 0)).toBe(true);

    await sandbox.update({ tar: await tarFromFiles([{ path: "after-kill.txt", content: "queued while dead" }]) });
    const next = await sandbox.run("cat src/add.js after-kill.txt; ls README.md /tmp/scratch scratch.txt 2>&1 | sort");
    expect(sandbox.containerId).not.toBe(before);
    expect(text(next.output)).toContain("return a - b;");
    expect(text(next.output)).toContain("queued while dead");
    // Files the killed container wrote are gone; the workspace is the host's view replayed.
    expect(text(next.output)).toMatch(/README.md'?: No such file/);
    expect(text(next.output)).toMatch(/scratch.txt'?: No such file/);
    expect(text(next.output)).toMatch(/\/tmp\/scratch'?: No such file/);
  });

  it("passes allow-listed variables and refuses secret-looking ones", async () => {
    const result = await sandbox.run("printf '%s' \"$GREETING\"", { env: { GREETING: "hello" } });
    expect(text(result.stdout)).toBe("hello");
    await expect(sandbox.run("true", { env: { GITHUB_TOKEN: "x" } })).rejects.toThrow(/credential/);
    await expect(sandbox.run("true", { env: { "BAD NAME": "x" } })).rejects.toThrow(/invalid/);
  });

  it("rejects update tars with unsafe entries", async () => {
    await expect(sandbox.update({ deletions: ["../etc/passwd"] })).rejects.toThrow(SandboxError);
    await expect(sandbox.update({ deletions: ["/etc/passwd"] })).rejects.toThrow(/absolute/);
  });
});

describe("DockerSandboxProvider lifecycle", () => {
  const provider = new DockerSandboxProvider({ limits });

  it("an update that does not fit into the workspace fails the next run with a clear error, then recovers", async () => {
    const jobId = `full-${randomUUID().slice(0, 8)}`;
    const small = new DockerSandboxProvider({ limits: { ...limits, workspaceBytes: 2 * 1024 ** 2 } });
    const sandbox = await small.startSandbox({ jobId, image: SANDBOX_IMAGE, workspace: await tarFromFiles([{ path: "a.txt", content: "a" }]) });
    try {
      await sandbox.run("head -c 1500000 /dev/zero > filler.bin");
      await sandbox.update({ tar: await tarFromFiles([{ path: "big.bin", content: Buffer.alloc(1024 * 1024) }]) });
      await expect(sandbox.run("echo should-not-run")).rejects.toThrow(/Could not write the update .*workspace may be full/s);
      // The replay into a fresh container (without the filler the command wrote) fits.
      const next = await sandbox.run("ls");
      expect(text(next.stdout)).toBe("a.txt\nbig.bin\n");
    } finally {
      await sandbox.dispose();
    }
    expect(await jobContainers(jobId)).toHaveLength(0);
  });

  it("dispose removes the container and its volume, twice is fine, and later calls fail clearly", async () => {
    const jobId = `dispose-${randomUUID().slice(0, 8)}`;
    const sandbox = await provider.startSandbox({ jobId, image: SANDBOX_IMAGE, workspace: await tarFromFiles([{ path: "a.txt", content: "a" }]) });
    const info = await (await docker()).getContainer(sandbox.containerId!).inspect();
    const volume = info.Mounts[0].Name!;
    await sandbox.dispose();
    await sandbox.dispose();
    expect(await jobContainers(jobId)).toHaveLength(0);
    await expect((await docker()).getVolume(volume).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(sandbox.run("true")).rejects.toThrow(/disposed/);
  });

  it("sweep removes leftovers of this app older than the threshold and nothing younger", async () => {
    const d = await docker();
    const old = await d.createContainer({
      Image: SANDBOX_IMAGE,
      Cmd: ["true"],
      Labels: { [LABEL_SANDBOX]: "1", [LABEL_JOB]: "sweep-old", [LABEL_CREATED]: "1000" },
      HostConfig: { NetworkMode: "none" },
    });
    const young = await d.createContainer({
      Image: SANDBOX_IMAGE,
      Cmd: ["true"],
      Labels: { [LABEL_SANDBOX]: "1", [LABEL_JOB]: "sweep-young", [LABEL_CREATED]: String(Date.now()) },
      HostConfig: { NetworkMode: "none" },
    });
    try {
      // Ten years: only the planted ancient one qualifies, so parallel test files are unaffected.
      const removed = await provider.sweep({ olderThanMs: 10 * 365 * 24 * 3600_000 });
      expect(removed).toBe(1);
      await expect(old.inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(young.inspect()).resolves.toBeTruthy();
    } finally {
      await young.remove({ force: true, v: true }).catch(() => undefined);
      await old.remove({ force: true, v: true }).catch(() => undefined);
    }
  });

  it("passes the configured runtime to Docker (an unknown one fails to start, and leaves nothing)", async () => {
    const jobId = `runtime-${randomUUID().slice(0, 8)}`;
    const withRuntime = new DockerSandboxProvider({ limits, runtime: "codegen-no-such-runtime" });
    await expect(
      withRuntime.start({ jobId, image: SANDBOX_IMAGE, workspace: await tarFromFiles([{ path: "a", content: "a" }]) }),
    ).rejects.toThrow(/codegen-no-such-runtime/);
    expect(await jobContainers(jobId)).toHaveLength(0);
  });

  it("fails clearly for a missing image", async () => {
    await expect(
      provider.start({ jobId: "missing-image", image: "codegen-no-such-image:1", workspace: await tarFromFiles([]) }),
    ).rejects.toThrow(/does not exist/);
  });
});

describe("prepare phase", () => {
  const provider = new DockerSandboxProvider({ limits });
  const cacheKey = `test-${randomUUID().replace(/-/g, "")}`;
  const image = `codegen-deps:${cacheKey}`;

  afterAll(async () => {
    await (await docker()).getImage(image).remove({ force: true }).catch(() => undefined);
  });

  it("installs with the base tree, keeps only install artefacts, caches the image, and sandboxes get them", async () => {
    const repo = await makeFixtureRepo();
    try {
      // The install writes node_modules and also rewrites a tracked file; only node_modules survives.
      const installCommand =
        "mkdir -p node_modules/dep && echo 'module.exports = 41 + 1;' > node_modules/dep/index.js && echo changed >> README.md && cat package.json | head -c 20";
      const first = await provider.prepare({
        jobId: "prepare-1",
        baseImage: SANDBOX_IMAGE,
        workspace: await repo.archive(),
        installCommand,
        cacheKey,
      });
      expect(first).toMatchObject({ image, cached: false });
      expect(first.install?.exitCode).toBe(0);
      expect(text(first.install!.stdout)).toContain('"name"');
      expect(await jobContainers("prepare-1")).toHaveLength(0);

      const second = await provider.prepare({ jobId: "prepare-2", baseImage: SANDBOX_IMAGE, workspace: await repo.archive(), installCommand, cacheKey });
      expect(second).toEqual({ image, cached: true });

      const sandbox = await provider.start({ jobId: "prepare-run", image, workspace: await repo.archive() });
      try {
        const result = await sandbox.run("node -e 'console.log(require(\"/workspace/node_modules/dep\"))'; cat README.md; ls /opt/codegen-deps");
        expect(text(result.stdout)).toContain("42");
        expect(text(result.stdout)).not.toContain("changed");
        // The image's artefact directory holds no repository files.
        expect(text(result.stdout)).toMatch(/^node_modules$/m);
        expect(text(result.stdout)).not.toMatch(/^package.json$/m);
      } finally {
        await sandbox.dispose();
      }
    } finally {
      await repo.cleanup();
    }
  });

  it("rebuilds a cached key when the base image changed (a rebuilt tag has a new id)", async () => {
    const d = await docker();
    const key = `rebase-${randomUUID().replace(/-/g, "")}`;
    const otherBase = `codegen-sandbox-testbase:${key.slice(0, 20)}`;
    const scratch = await d.createContainer({ Image: SANDBOX_IMAGE, Cmd: ["true"], Labels: { "codegen.test": "base" } });
    await scratch.commit({ repo: otherBase.split(":")[0], tag: otherBase.split(":")[1], changes: "LABEL codegen.test-base=1" });
    await scratch.remove({ force: true });
    const workspace = await tarFromFiles([{ path: "a", content: "a" }]);
    const prepare = (baseImage: string) => provider.prepare({ jobId: "prepare-rebase", baseImage, workspace, installCommand: "true", cacheKey: key });
    try {
      expect((await prepare(SANDBOX_IMAGE)).cached).toBe(false);
      expect((await prepare(SANDBOX_IMAGE)).cached).toBe(true);
      expect((await prepare(otherBase)).cached).toBe(false);
      expect((await prepare(otherBase)).cached).toBe(true);
      const labels = (await d.getImage(`codegen-deps:${key}`).inspect()).Config.Labels;
      expect(labels["codegen.deps-base"]).toBe((await d.getImage(otherBase).inspect()).Id);
    } finally {
      await d.getImage(`codegen-deps:${key}`).remove({ force: true }).catch(() => undefined);
      await d.getImage(otherBase).remove({ force: true }).catch(() => undefined);
    }
  });

  it("reports a failing install with its output and caches nothing", async () => {
    const key = `fail-${randomUUID().replace(/-/g, "")}`;
    const error = await provider
      .prepare({ jobId: "prepare-fail", baseImage: SANDBOX_IMAGE, workspace: await tarFromFiles([{ path: "a", content: "a" }]), installCommand: "echo no lockfile >&2; exit 4", cacheKey: key })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyInstallError);
    expect((error as DependencyInstallError).message).toContain("exit code 4");
    expect(text((error as DependencyInstallError).result.stderr)).toContain("no lockfile");
    await expect((await docker()).getImage(`codegen-deps:${key}`).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await jobContainers("prepare-fail")).toHaveLength(0);
  });
});
