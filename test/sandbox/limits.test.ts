import { ConfigurationError } from "../../src/errors/index.js";
import { HardenedContainer } from "../../src/sandbox/hardened-container.js";
import { assertSandboxEnv, resolveLimits } from "../../src/sandbox/limits.js";
import { DockerSandboxProvider, runtimeFromEnvironment } from "../../src/sandbox/docker-sandbox-provider.js";
import { defaultSandboxLimits } from "../../src/sandbox/types.js";

describe("resolveLimits", () => {
  it("fills defaults and applies layers in order", () => {
    expect(resolveLimits()).toEqual(defaultSandboxLimits);
    expect(resolveLimits({ cpus: 2 }, { cpus: 0.5, pids: 64 })).toMatchObject({ cpus: 0.5, pids: 64 });
  });
  it.each([{ pids: 0 }, { memoryBytes: 1024 }, { commandTimeoutMs: -1 }, { cpus: Number.NaN }, { outputBytes: 1.5 }])(
    "rejects %j with the key in the message",
    (bad) => {
      expect(() => resolveLimits(bad)).toThrow(ConfigurationError);
      expect(() => resolveLimits(bad)).toThrow(Object.keys(bad)[0]);
    },
  );
});

describe("assertSandboxEnv", () => {
  it("accepts plain variables", () => {
    expect(() => assertSandboxEnv({ NODE_ENV: "test", GIT_AUTHOR_NAME: "bot", FORCE_COLOR: "0" }, {})).not.toThrow();
  });
  it.each<Record<string, string>>([{ GITHUB_TOKEN: "x" }, { ANTHROPIC_API_KEY: "x" }, { aws_secret_access_key: "x" }, { DB_PASSWORD: "x" }, { NPM_AUTH: "x" }])(
    "refuses the credential-looking %j",
    (env) => expect(() => assertSandboxEnv(env, {})).toThrow(/credential/),
  );
  it("refuses a host secret under an innocent name", () => {
    expect(() => assertSandboxEnv({ GREETING: "ghs_supersecretvalue" }, { GITHUB_APP_TOKEN: "ghs_supersecretvalue" })).toThrow(/secret of the app/);
  });
  it.each<Record<string, string>>([{ "A B": "x" }, { "1X": "x" }, { X: "a\0b" }])("refuses the malformed %j", (env) => {
    expect(() => assertSandboxEnv(env, {})).toThrow(ConfigurationError);
  });
});

describe("HardenedContainer spec (no daemon)", () => {
  it("is safe by default", () => {
    const spec = new HardenedContainer("img:1").spec();
    expect(spec.networkMode).toBe("none");
    expect(spec.createOpts).toMatchObject({ User: "10001:10001", NetworkDisabled: true, WorkingDir: "/workspace" });
    expect(spec.hostConfig).toMatchObject({
      CapDrop: ["ALL"],
      CapAdd: [],
      Privileged: false,
      ReadonlyRootfs: true,
      Init: true,
      PidsLimit: defaultSandboxLimits.pids,
      Memory: defaultSandboxLimits.memoryBytes,
      MemorySwap: defaultSandboxLimits.memoryBytes,
      NanoCpus: 1e9,
      LogConfig: { Type: "none", Config: {} },
      Binds: [],
      SecurityOpt: ["no-new-privileges:true"],
    });
    expect(spec.hostConfig.Runtime).toBeUndefined();
    expect(spec.createOpts.Env?.some((e) => e.startsWith("PATH="))).toBe(false);
    const mount = spec.hostConfig.Mounts?.[0];
    expect(mount).toMatchObject({ Type: "volume", Source: "", Target: "/workspace" });
    expect(mount?.VolumeOptions?.DriverConfig.Options.o).toContain(`size=${defaultSandboxLimits.workspaceBytes}`);
    expect(spec.hostConfig.Tmpfs?.["/tmp"]).toContain(`size=${defaultSandboxLimits.tmpBytes}`);
  });

  it("applies limits, runtime and the install network only when asked", () => {
    const limits = resolveLimits({ memoryBytes: 512 * 1024 ** 2, cpus: 0.5, pids: 64, fileSizeBytes: 8 * 1024 ** 2 });
    const spec = new HardenedContainer("img:1").withLimits(limits).withRuntime("runsc").withJob("job-1", 42).spec();
    expect(spec.hostConfig).toMatchObject({ Memory: 512 * 1024 ** 2, MemorySwap: 512 * 1024 ** 2, NanoCpus: 5e8, PidsLimit: 64, Runtime: "runsc" });
    expect(spec.hostConfig.Ulimits).toEqual(
      expect.arrayContaining([{ Name: "fsize", Soft: 8 * 1024 ** 2, Hard: 8 * 1024 ** 2 }]),
    );
    expect(spec.hostConfig.Ulimits?.filter((u) => u.Name === "fsize")).toHaveLength(1);
    expect(spec.createOpts.Labels).toMatchObject({ "codegen.sandbox": "1", "codegen.job": "job-1", "codegen.created": "42" });
    const install = new HardenedContainer("img:1").withDependencyInstallNetwork().spec();
    expect(install.networkMode).toBe("bridge");
    expect(install.createOpts.NetworkDisabled).toBe(false);
    expect(install.hostConfig.ReadonlyRootfs).toBe(true);
  });
});

describe("runtime selection", () => {
  it("reads SANDBOX_RUNTIME", () => {
    expect(runtimeFromEnvironment({})).toBeUndefined();
    expect(runtimeFromEnvironment({ SANDBOX_RUNTIME: " runsc " })).toBe("runsc");
    expect(() => runtimeFromEnvironment({ SANDBOX_RUNTIME: "runsc --debug" })).toThrow(ConfigurationError);
  });
  it("rejects bad provider settings at construction", () => {
    expect(() => new DockerSandboxProvider({ limits: { pids: -1 } })).toThrow(ConfigurationError);
    expect(() => new DockerSandboxProvider({ env: { ANTHROPIC_API_KEY: "x" } })).toThrow(/credential/);
  });
});
