import type { ContainerCreateOptions, HostConfig } from "dockerode";
import { GenericContainer, PullPolicy } from "testcontainers";
import { defaultSandboxLimits, type SandboxLimits } from "./types.js";
import { SANDBOX_USER, WORKSPACE, jobLabels } from "./labels.js";

/**
 * The environment every sandbox starts with. It is an allow-list written here: nothing is copied from
 * `process.env`, so the app's secrets (installation token, API keys) cannot reach a container.
 */
export const BASE_SANDBOX_ENV: Readonly<Record<string, string>> = {
  CI: "true",
  HOME: "/tmp",
  TMPDIR: "/tmp",
  LANG: "C.UTF-8",
  NO_UPDATE_NOTIFIER: "1",
  NPM_CONFIG_UPDATE_NOTIFIER: "false",
  NPM_CONFIG_CACHE: "/tmp/.npm",
  PYTHONDONTWRITEBYTECODE: "1",
};

/** What the builder hands to Docker; exposed (as a copy) so tests can check it without a daemon. */
export interface HardenedContainerSpec {
  image: string;
  networkMode: string;
  createOpts: ContainerCreateOptions;
  hostConfig: HostConfig;
}

/**
 * A `GenericContainer` that is locked down before the caller touches it: no network, non-root, no
 * capabilities, no-new-privileges, read-only root, init as PID 1, pids/memory(+swap)/CPU/ulimit caps,
 * size-capped tmpfs for /tmp and for the /workspace volume, a log driver that writes nothing, and no
 * Ryuk session (this app sweeps its own containers by label). testcontainers has no builder method for
 * several of these, so they go through its documented protected `hostConfig`/`createOpts` fields.
 *
 * Only `withDependencyInstallNetwork()` opens anything, and its name says when it may be used.
 */
export class HardenedContainer extends GenericContainer {
  private limits: SandboxLimits = { ...defaultSandboxLimits };
  private readonly image: string;

  constructor(image: string) {
    super(image);
    this.image = image;
    this.withNetworkMode("none")
      .withUser(SANDBOX_USER)
      .withDroppedCapabilities("ALL")
      .withSecurityOpt("no-new-privileges:true")
      .withWorkingDir(WORKSPACE)
      .withCommand(["sleep", "infinity"])
      .withIpcMode("private")
      .withPullPolicy(PullPolicy.defaultPolicy())
      .withAutoCleanup(false)
      .withAutoRemove(true);
    this.createOpts.Env = Object.entries(BASE_SANDBOX_ENV).map(([key, value]) => `${key}=${value}`);
    this.createOpts.NetworkDisabled = true;
    this.createOpts.StopTimeout = 0;
    Object.assign(this.hostConfig, {
      Privileged: false,
      ReadonlyRootfs: true,
      Init: true,
      OomScoreAdj: 500,
      LogConfig: { Type: "none", Config: {} },
      Binds: [],
      CapAdd: [],
    } satisfies HostConfig);
    this.applyLimits();
  }

  /** Label the container for its job, so the sweeper and the tests can find it. */
  withJob(jobId: string, now = Date.now()): this {
    return this.withLabels(jobLabels(jobId, now));
  }

  withLimits(limits: SandboxLimits): this {
    this.limits = { ...limits };
    this.applyLimits();
    return this;
  }

  /** An OCI runtime registered with the daemon, e.g. gVisor's `runsc`. Empty means Docker's default. */
  withRuntime(runtime: string | undefined): this {
    if (runtime) this.hostConfig.Runtime = runtime;
    else delete this.hostConfig.Runtime;
    return this;
  }

  /** Extra allow-listed variables (checked by the caller with `assertSandboxEnv`). */
  withSandboxEnv(env: Record<string, string>): this {
    const merged = { ...BASE_SANDBOX_ENV, ...env };
    this.createOpts.Env = Object.entries(merged).map(([key, value]) => `${key}=${value}`);
    return this;
  }

  /**
   * Give the container the default bridge network. Only for the dependency prepare phase, which runs the
   * base branch's install command before any generated change exists; never for generated code.
   */
  withDependencyInstallNetwork(): this {
    this.withNetworkMode("bridge");
    this.createOpts.NetworkDisabled = false;
    return this;
  }

  /** A copy of what will be sent to Docker (for assertions and logs). */
  spec(): HardenedContainerSpec {
    return structuredClone({
      image: this.image,
      networkMode: this.networkMode ?? "",
      createOpts: this.createOpts,
      hostConfig: this.hostConfig,
    });
  }

  private applyLimits(): void {
    const l = this.limits;
    this.hostConfig.Ulimits = [];
    this.withResourcesQuota({ cpu: l.cpus })
      .withUlimits({
        nofile: { soft: l.openFiles, hard: l.openFiles },
        fsize: { soft: l.fileSizeBytes, hard: l.fileSizeBytes },
        core: { soft: 0, hard: 0 },
      })
      .withSharedMemorySize(64 * 1024 ** 2);
    const tmpInodes = Math.min(l.inodes, 1_048_576);
    // /tmp stays executable: some test tools run helpers from it, and noexec is easily bypassed anyway.
    this.hostConfig.Tmpfs = { "/tmp": `rw,nosuid,nodev,size=${l.tmpBytes},nr_inodes=${tmpInodes},mode=1777` };
    Object.assign(this.hostConfig, {
      Memory: l.memoryBytes,
      MemorySwap: l.memoryBytes, // equal to Memory: no swap on top of the memory limit
      PidsLimit: l.pids,
      // The workspace is an anonymous volume so the daemon can copy files into it under a read-only root,
      // and it is tmpfs-backed so a disk fill ends at its size (and counts against the memory limit)
      // instead of at the host's disk.
      Mounts: [
        {
          Type: "volume",
          Source: "",
          Target: WORKSPACE,
          VolumeOptions: {
            NoCopy: true,
            Labels: {},
            DriverConfig: {
              Name: "local",
              Options: {
                type: "tmpfs",
                device: "tmpfs",
                o: `size=${l.workspaceBytes},nr_inodes=${l.inodes},uid=10001,gid=10001,mode=0755,nosuid,nodev`,
              },
            },
          },
        },
      ],
    } satisfies HostConfig);
  }
}
