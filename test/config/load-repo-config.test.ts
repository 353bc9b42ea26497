import { readFileSync } from "node:fs";
import { parseRepoConfig } from "../../src/config/load-repo-config.js";
import { ConfigurationError } from "../../src/errors/index.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), "utf8");

describe("parseRepoConfig", () => {
  test("absent or empty file gives the defaults", () => {
    for (const text of [null, "", "  \n# only a comment\n"]) {
      const config = parseRepoConfig(text);
      expect(config.limits.max_iterations).toBe(4);
      expect(config.on_give_up).toBe("none");
      expect(config.allow_workflow_changes).toBe(false);
      expect(config.test).toBeUndefined();
    }
  });

  test("a full file round-trips", () => {
    const config = parseRepoConfig(fixture("full.yml"));
    expect(config.test).toBe("npm test -- --ci");
    expect(config.sandbox).toEqual({ image: "my-sandbox:1", memory_mb: 1024, cpus: 2, timeout_seconds: 300 });
    expect(config.limits.max_cost_usd).toBe(1.5);
    expect(config.risk.patterns[0]).toEqual({ paths: ["etl/**"], tier: "low-medium", reason: "ETL jobs" });
    expect(config.on_give_up).toBe("draft");
  });

  test.each([
    ["instructions: docs/agents.md\n", "docs/agents.md"],
    ["instructions: false\n", false],
    ["test: npm test\n", undefined],
  ])("instructions in %j are %j", (text, expected) => {
    expect(parseRepoConfig(text).instructions).toBe(expected);
  });

  test.each([
    ["a misspelt key", "tset: npm test\n", "tset", "is not a known setting"],
    ["a nested misspelt key", "limits:\n  max_iteration: 3\n", "limits.max_iteration", "is not a known setting"],
    ["a wrong type", "limits:\n  max_iterations: many\n", "limits.max_iterations", "expected number"],
    ["out of range", "limits:\n  max_iterations: 99\n", "limits.max_iterations", "<=20"],
    ["a bad enum", "on_give_up: push\n", "on_give_up", "expected one of"],
    ["an empty command", "test: ''\n", "test", "non-empty command"],
    ["a bad risk tier", "risk:\n  patterns:\n    - paths: [a]\n      tier: huge\n", "risk.patterns.0.tier", "expected one of"],
    ["not a mapping", "- a\n- b\n", "(file)", "expected a mapping"],
    ["invalid YAML", "test: [unclosed\n", "(file)", ""],
    ["instructions outside the repository", "instructions: ../secrets.md\n", "instructions", "inside the repository"],
    ["absolute instructions", "instructions: /etc/passwd\n", "instructions", "inside the repository"],
    ["instructions: true", "instructions: true\n", "instructions", ""],
    ["a duplicate key", "test: a\ntest: b\n", "(file)", ""],
  ])("rejects %s, naming the key", (_name, text, key, message) => {
    let error: unknown;
    try {
      parseRepoConfig(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const issue = (error as ConfigurationError).issues.find((i) => i.key === key);
    expect(issue).toBeDefined();
    expect(issue!.message).toContain(message);
    expect((error as Error).message).toContain(".github/codegen.yml");
  });
});
