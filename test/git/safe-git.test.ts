import { hardenedGitEnv, safeGit, tokenAuthEnv } from "../../src/git/safe-git.js";

describe("hardened git environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test("inherits only the allow-list: no editors, pagers, git overrides or app secrets", () => {
    Object.assign(process.env, {
      EDITOR: "vim", PAGER: "less", GIT_DIR: "/elsewhere", GIT_SSH_COMMAND: "evil", ANTHROPIC_API_KEY: "sk-ant-secret",
      PRIVATE_KEY: "pem", HTTPS_PROXY: "http://proxy:3128", GIT_SSL_CAINFO: "/etc/ca.pem", PATH: "/usr/bin",
    });
    const env = hardenedGitEnv();
    for (const key of ["EDITOR", "PAGER", "GIT_DIR", "GIT_SSH_COMMAND", "ANTHROPIC_API_KEY", "PRIVATE_KEY"]) expect(env[key]).toBeUndefined();
    expect(env).toMatchObject({ HTTPS_PROXY: "http://proxy:3128", GIT_SSL_CAINFO: "/etc/ca.pem", PATH: "/usr/bin" });
    expect(env).toMatchObject({ GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" });
  });

  test("the token travels as an HTTP header in the environment, never in argv", () => {
    const env = tokenAuthEnv("ghs_exampletoken");
    expect(env.GIT_CONFIG_KEY_0).toBe("http.extraHeader");
    expect(Buffer.from(env.GIT_CONFIG_VALUE_0!.replace("Authorization: Basic ", ""), "base64").toString()).toBe("x-access-token:ghs_exampletoken");
    expect(tokenAuthEnv(undefined)).toEqual({});
  });

  test("simple-git runs with the hardened config (hooks path, fsmonitor, symlinks)", async () => {
    process.env.EDITOR = "vim"; // would trip simple-git's environment guard if inherited
    const out = await safeGit(process.cwd()).raw(["config", "--get-regexp", "^core\\.(hookspath|fsmonitor|symlinks)$"]);
    expect(out).toContain("core.hookspath /dev/null");
    expect(out).toContain("core.fsmonitor false");
    expect(out).toContain("core.symlinks false");
  });
});
