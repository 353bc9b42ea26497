import { cacheBreakdown } from "../../src/model/prompt-cache.js";
import { errors, message, startAnthropicStandIn, toolUse, type AnthropicStandIn } from "../support/anthropic-standin/index.js";
import { leftoverContainers } from "../support/leftover-containers.js";
import { runPipelineOn, type PipelineRun } from "../support/pipeline-harness.js";
import { breakThenFix } from "../support/scripted-models.js";

const KEY = "sk-ant-pipeline-test";
const EDITOR = "str_replace_based_edit_tool";

const edit = (old_str: string, new_str: string, path = "src/cli.js") => toolUse(EDITOR, { command: "str_replace", path, old_str, new_str });
const addVerbose = () =>
  message({ content: [edit('  const options = { name: "world" };', '  const options = { name: "world", verbose: argv.includes("--verbose") };')] });
const VERBOSE_TEST = {
  "test/verbose.test.js":
    'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { parseArgs } from "../src/cli.js";\ntest("verbose", () => assert.equal(parseArgs(["--verbose"]).verbose, true));\n',
};

describe("the generate → test → fix → verify loop", () => {
  let anthropic: AnthropicStandIn;
  let run: (PipelineRun & { cleanup(): Promise<void> }) | undefined;

  beforeEach(async () => {
    anthropic = await startAnthropicStandIn({ apiKey: KEY });
  });
  afterEach(async () => {
    await anthropic.close();
    if (run) {
      expect(await leftoverContainers([run.jobId])).toEqual([]);
      await run.cleanup();
      run = undefined;
    }
  });
  const pipeline = async (options: Omit<Parameters<typeof runPipelineOn>[0], "anthropic" | "apiKey">) => {
    run = await runPipelineOn({ anthropic, apiKey: KEY, ...options });
    return run.result;
  };

  test("a failure that already existed on the base branch is reported, not blamed on the change", async () => {
    anthropic.script(addVerbose(), message({ content: "Added --verbose." }));
    const result = await pipeline({
      task: "add a --verbose flag",
      extraFiles: {
        "test/legacy.test.js": 'import { test } from "node:test";\nimport assert from "node:assert/strict";\ntest("legacy rounding", () => assert.equal(0.1 + 0.2, 0.3));\n',
      },
    });
    expect(result.status).toBe("succeeded");
    expect(result.before?.passed).toBe(false);
    expect(result.after?.passed).toBe(false);
    expect(result.preExistingFailures).toEqual(["legacy rounding"]);
    expect(result.iterations).toBe(1);
  });

  test("deleting a test to go green is caught, fed back, and not counted as success", async () => {
    const deleteTest = () => message({ content: [edit("Hello", "Hi"), toolUse(EDITOR, { command: "create", path: "test/cli.test.js", file_text: "" })] });
    anthropic.script(deleteTest(), message({ content: "Changed the greeting." }), deleteTest(), message({ content: "Done." }));
    const result = await pipeline({ task: "change the greeting to Hi", configYaml: "limits:\n  max_iterations: 2\n" });
    expect(result.status).toBe("failed");
    expect(result.tamper.map((f) => f.kind)).toEqual(expect.arrayContaining(["removed-test"]));
    expect(result.lastFailure).toMatch(/weakens or removes existing tests/);
    // The model was told why in the second iteration.
    expect(JSON.stringify(anthropic.requests[2]!.body)).toContain("deletes, skips or weakens existing tests");
  });

  test("when the task asks to remove tests, the change is flagged but allowed", async () => {
    anthropic.script(
      message({ content: [toolUse(EDITOR, { command: "create", path: "test/cli.test.js", file_text: 'import { test } from "node:test";\ntest("placeholder", () => {});\n' })] }),
      message({ content: "Removed the obsolete CLI tests as asked." }),
    );
    const result = await pipeline({ task: "remove the obsolete CLI tests in test/cli.test.js" });
    expect(result.status).toBe("succeeded");
    expect(result.tamper.length).toBeGreaterThan(0);
    expect(result.tamper.every((f) => f.allowedByTask)).toBe(true);
  });

  test("the same failure twice in a row stops the loop early", async () => {
    const same = () => message({ content: [edit("Hello", "Hi")] });
    const undo = () => message({ content: [edit("Hi", "Hello"), edit("Hello", "Hi")] });
    anthropic.script(same(), message({ content: "Changed." }), undo(), message({ content: "Tried again." }));
    const result = await pipeline({ task: "change the greeting", configYaml: "limits:\n  max_iterations: 5\n" });
    expect(result.status).toBe("failed");
    expect(result.stop).toBe("repeated-failure");
    expect(result.iterations).toBe(2);
    expect(result.lastFailure).toContain("greets by name");
  });

  test.each([
    ["tokens", "limits:\n  max_tokens: 5000\n", { input_tokens: 6000, output_tokens: 10 }, /tokens, the limit is 5,000/i],
    ["cost", "limits:\n  max_cost_usd: 0.5\n", { input_tokens: 600_000, output_tokens: 10 }, /spent \$0\.60, the limit is \$0\.50/i],
  ])("stops on the %s budget", async (kind, configYaml, usage, reason) => {
    anthropic.script(message({ content: [toolUse(EDITOR, { command: "view", path: "src/cli.js" })], usage }));
    const result = await pipeline({ task: "add a --verbose flag", configYaml });
    expect(result.status).toBe("failed");
    expect(result.stop).toBe(kind);
    expect(result.reason).toMatch(reason);
    expect(anthropic.requests).toHaveLength(1);
  });

  test("stops on the wall-clock budget", async () => {
    let now = 0;
    anthropic.script((_request, index) => {
      now += 40_000; // each model turn "takes" 40 s
      return index === 0 ? message({ content: [toolUse(EDITOR, { command: "view", path: "src/cli.js" })] }) : message({ content: [toolUse(EDITOR, { command: "view", path: "package.json" })] });
    });
    const result = await pipeline({ task: "add a --verbose flag", configYaml: "limits:\n  max_minutes: 1\n", now: () => now });
    expect(result.stop).toBe("time");
    expect(result.reason).toMatch(/the limit is 60 s/);
  });

  test("context selection searches the issue's title and description, not only the command's words", async () => {
    anthropic.script(addVerbose(), message({ content: "Added --verbose." }));
    const thread = { number: 7, title: "parseArgs ignores the --verbose flag", body: "Running the CLI with --verbose prints nothing more.", comments: [] };
    const result = await pipeline({ task: "fix this", thread });
    const best = result.context!.files[0];
    expect(best.path).toBe("src/cli.js");
    // The title field exists only when the selector's text starts with the title ("fix this" is too short).
    expect(best.reasons.find((r) => r.signal === "title")?.detail).toMatch(/pars/);
  });

  test("a 429 is retried and the job goes on", async () => {
    anthropic.script(errors.rateLimited({ "retry-after-ms": "1" }), ...breakThenFix());
    const result = await pipeline({ task: "add a --verbose flag to the CLI" });
    expect(result.status).toBe("succeeded");
    expect(anthropic.requests[0]!.status).toBe(429);
  });

  test("a model API that stays overloaded (529) fails the job with a clear message, in bounded time", async () => {
    anthropic.script(() => errors.overloaded({ "retry-after-ms": "1" }));
    const started = Date.now();
    const result = await pipeline({ task: "add a --verbose flag" });
    expect(result.status).toBe("failed");
    expect(result.stop).toBe("model");
    expect(result.reason).toMatch(/overloaded/i);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test("an answer cut off by max_tokens is continued", async () => {
    anthropic.script(
      message({ content: "I will add the flag by editing", stop_reason: "max_tokens" }),
      addVerbose(),
      message({ content: "Added --verbose." }),
    );
    const result = await pipeline({ task: "add a --verbose flag" });
    expect(result.status).toBe("succeeded");
    expect(JSON.stringify(anthropic.requests[1]!.body)).toContain("cut off by the output limit");
  });

  test("cancelling during a long test run stops the job at once and leaves no sandbox", async () => {
    const controller = new AbortController();
    anthropic.script(addVerbose(), message({ content: "Added --verbose." }));
    const started = Date.now();
    setTimeout(() => controller.abort(new Error("cancelled by /codegen cancel")), 4_000);
    const result = await pipeline({
      task: "add a --verbose flag",
      commands: { test: "sleep 300" },
      signal: controller.signal,
    });
    expect(result.status).toBe("failed");
    expect(result.stop).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test("a refusal ends the job with a clear reason", async () => {
    anthropic.script(message({ content: "I can't help with that.", stop_reason: "refusal" }));
    const result = await pipeline({ task: "add a --verbose flag" });
    expect(result.status).toBe("failed");
    expect(result.reason).toMatch(/declined/);
  });

  test("from the second iteration on, most input tokens of each request are marked cacheable", async () => {
    anthropic.script(...breakThenFix());
    const result = await pipeline({ task: "add a --verbose flag to the CLI", extraFiles: VERBOSE_TEST });
    expect(result.iterations).toBe(2);
    // breakThenFix: requests 0-2 are iteration 1, requests 3-4 iteration 2.
    for (const request of anthropic.requests.slice(3)) {
      const breakdown = cacheBreakdown(request.body as never);
      expect(breakdown.cacheableShare).toBeGreaterThan(0.5);
    }
    expect(result.usage.cacheReadTokens).toBeGreaterThan(0);
  });

  describe("dependencies", () => {
    // An install command that needs no registry: it leaves an artefact the tests then require.
    const install = `mkdir -p node_modules/shout && echo 'export default (s) => s.toUpperCase();' > node_modules/shout/index.js && echo '{"name":"shout","type":"module","main":"index.js"}' > node_modules/shout/package.json`;
    const usesDependency = {
      "test/shout.test.js": 'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport shout from "shout";\ntest("shout", () => assert.equal(shout("a"), "A"));\n',
    };

    test("are installed once per lockfile, before any generated change, and the tests run without network on them", async () => {
      anthropic.script(addVerbose(), message({ content: "Added --verbose." }));
      const result = await pipeline({
        task: "add a --verbose flag",
        extraFiles: { ...usesDependency, "package-lock.json": '{"lockfileVersion":3,"name":"cli-tool"}' },
        commands: { test: "npm test", install },
      });
      expect(result.status).toBe("succeeded");
      expect(result.before?.passed).toBe(true);
      expect(result.after?.passed).toBe(true);
    });

    test("a failing install stops the job with a message naming the install command", async () => {
      anthropic.script(addVerbose(), message({ content: "Added --verbose." }));
      const result = await pipeline({
        task: "add a --verbose flag",
        extraFiles: { "package-lock.json": '{"lockfileVersion":3,"name":"cli-tool-broken"}' },
        commands: { test: "npm test", install: "echo 'npm ERR! 404 Not Found' >&2; exit 1" },
      });
      expect(result.status).toBe("failed");
      expect(result.reason).toMatch(/Installing dependencies failed.*install/);
    });
  });
});
