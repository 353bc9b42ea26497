import { message, toolUse } from "../support/anthropic-standin/index.js";
import { breakThenFix } from "../support/scripted-models.js";
import { startAppHarness, type AppHarness } from "../support/app-harness.js";
import type { SeededRepository } from "../support/github-standin/index.js";
import { issueCommentCreated } from "../support/webhooks.js";

const EDITOR = "str_replace_based_edit_tool";

describe("/codegen on an issue, end to end", () => {
  let h: AppHarness;
  let repo: SeededRepository;

  beforeEach(async () => {
    h = await startAppHarness();
    repo = await h.seedCliTool();
    h.github.setPermission(repo.ref, "bob", "read");
    h.github.addIssue(repo.ref, { title: "Add a --verbose flag", body: "The CLI should accept --verbose.", user: "alice" });
  });

  afterEach(async () => {
    // Whatever happened, no sandbox of these jobs survives them.
    expect(await h.close()).toEqual([]);
  });

  const comment = (body: string, user = "alice") => {
    const c = h.github.addComment(repo.ref, 1, { body, user });
    return { comment: c, payload: issueCommentCreated(h.github, repo.ref, c.id) };
  };
  const botComments = () => h.github.comments(repo.ref, 1).filter((c) => c.author === h.github.botLogin);

  test("a failing first edit is fixed on the second iteration and a labelled PR is opened", async () => {
    // Two commits that change the CLI together with its usage text: context selection should see the coupling
    // through the history it fetches beside the shallow work clone.
    const cliSource = await h.github.readFile(repo.ref, "src/cli.js", "main");
    await h.github.commitFiles(repo.ref, { branch: "main", files: { "src/cli.js": `${cliSource}// options: --name\n`, "src/usage.js": "export const usage = 'usage: cli [--name <name>]';\n" } });
    await h.github.commitFiles(repo.ref, { branch: "main", files: { "src/cli.js": `${cliSource}// options: --name <name>\n`, "src/usage.js": "export const usage = 'usage: cli [--name NAME]';\n" } });
    h.anthropic.script(...breakThenFix());
    // A comment before the command points at a file: context selection counts the path (not the comment's words).
    h.github.addComment(repo.ref, 1, { body: "Note that README.md documents the flags too.", user: "carol" });
    const { comment: command, payload } = comment("/codegen add a --verbose flag to the CLI");

    const delivery = await h.deliver("issue_comment", payload);
    expect(delivery.status).toBe(200);
    expect(h.github.reactions(command.id)).toEqual([{ content: "eyes", user: h.github.botLogin }]);
    expect(botComments()).toHaveLength(1);
    expect(botComments()[0]!.body).toContain("Cloning");

    await h.queue.onIdle();

    const branches = await h.github.branches(repo.ref);
    const branch = "codegen/issue-1-add-a-verbose-flag-to-the-cli";
    expect(Object.keys(branches)).toContain(branch);
    const cli = await h.github.readFile(repo.ref, "src/cli.js", branch);
    expect(cli).toContain('if (argv[i] === "--verbose") options.verbose = true;');
    expect(cli).toContain("options.name = argv[++i];");
    expect(await h.github.readFile(repo.ref, "test/verbose.test.js", branch)).toContain("parses --verbose");

    const pulls = await h.github.pulls(repo.ref);
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    expect(pull.head).toBe(branch);
    expect(pull.labels).toEqual(expect.arrayContaining(["codegen", expect.stringMatching(/^risk:(low|low-medium|medium)$/)]));
    expect(pull.body).toContain("Resolves #1.");
    expect(pull.body).toContain("**Iterations:** 2");
    expect(pull.body).toMatch(/Before \(base branch\) \| ✅ pass/);
    expect(pull.body).toMatch(/After \(this change\) \| ✅ pass/);
    expect(pull.body).toMatch(/\*\*Tokens:\*\* [1-9]/);
    expect(pull.body).toMatch(/\| `src\/usage\.js` \|[^\n]*\bhistory \d/);
    expect(pull.body).toMatch(/\| `README\.md` \|[^\n]*\bmentions [\d.]+ \(in a comment: path README\.md\)/);

    const status = botComments();
    expect(status).toHaveLength(1);
    expect(status[0]!.body).toContain("**Done.**");
    expect(status[0]!.body).toContain(`${repo.htmlUrl}/pull/${pull.number}`);
    expect(h.github.checkRuns(repo.ref).map((c) => c.name)).toContain("codegen/risk-gate");

    // The model saw the failure of the first iteration.
    const fifth = JSON.stringify(h.anthropic.requests[3]!.body);
    expect(fifth).toContain("parses --name");
    expect(h.github.unhandledRequests()).toEqual([]);
  });

  test("the model never fixes it: the status says so after the iteration limit and nothing is pushed", async () => {
    await h.github.commitFiles(repo.ref, { branch: "main", files: { ".github/codegen.yml": "limits:\n  max_iterations: 2\n" }, message: "config" });
    // Each attempt fails differently, so only the iteration limit stops the loop.
    const broken = (from: string, to: string) =>
      message({ content: [toolUse(EDITOR, { command: "str_replace", path: "src/cli.js", old_str: from, new_str: to })] });
    h.anthropic.script(broken("Hello", "Hi1"), message({ content: "Changed the greeting." }), broken("Hi1", "Hi2"), message({ content: "Tried again." }));
    const { payload } = comment("/codegen change the greeting");
    await h.deliver("issue_comment", payload);
    await h.queue.onIdle();

    const status = botComments()[0]!.body;
    expect(status).toContain("**Gave up.**");
    expect(status).toMatch(/after 2 iterations/);
    expect(status).toContain("greets by name");
    expect(status).toContain("Nothing was pushed.");
    expect(Object.keys(await h.github.branches(repo.ref))).toEqual(["main"]);
    expect(await h.github.pulls(repo.ref)).toEqual([]);
  });

  test("GitHub failing after the acknowledgement ends the status comment with what to fix, not a stuck checklist", async () => {
    h.github.injectFailure({ method: "GET", path: /\/issues\/1\/comments$/, status: 403, message: "Resource not accessible by integration", times: 5 });
    const { payload } = comment("/codegen add a --verbose flag to the CLI");
    await h.deliver("issue_comment", payload);
    await h.queue.onIdle();
    const status = botComments();
    expect(status).toHaveLength(1);
    expect(status[0]!.body).toContain("The job could not start.");
    expect(status[0]!.body).toMatch(/Issues: read/);
    expect(h.anthropic.requests).toHaveLength(0);
    expect(await h.github.pulls(repo.ref)).toHaveLength(0);
  });

  test("a forged signature is rejected and changes nothing", async () => {
    const { payload } = comment("/codegen add a flag please");
    const response = await h.deliver("issue_comment", payload, { secret: "not-the-secret" });
    expect(response.status).toBeGreaterThanOrEqual(400);
    await h.queue.onIdle();
    expect(botComments()).toEqual([]);
    expect(h.anthropic.requests).toEqual([]);
  });

  test("a commenter without write access gets a polite refusal and nothing is cloned", async () => {
    const { comment: command, payload } = comment("/codegen add a flag please", "bob");
    await h.deliver("issue_comment", payload);
    await h.queue.onIdle();
    const replies = botComments();
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("Only people with write access");
    expect(h.github.reactions(command.id)).toEqual([]);
    expect(h.github.requests.filter((r) => r.kind === "git")).toEqual([]);
  });

  test("the app's own comments are ignored", async () => {
    const own = h.github.addComment(repo.ref, 1, { body: "/codegen add a flag please", user: h.github.botLogin });
    const response = await h.deliver("issue_comment", issueCommentCreated(h.github, repo.ref, own.id));
    expect(response.status).toBe(200);
    await h.queue.onIdle();
    expect(h.github.comments(repo.ref, 1)).toHaveLength(1);
    expect(h.github.requests.filter((r) => r.kind === "rest" && r.method !== "GET")).toEqual([]);
  });

  test("help and unknown subcommands answer with usage, not a job", async () => {
    await h.deliver("issue_comment", comment("/codegen help").payload);
    await h.deliver("issue_comment", comment("/codegen frobnicate").payload);
    await h.queue.onIdle();
    const replies = botComments().map((c) => c.body);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain("Usage");
    expect(replies[1]).toContain("Unknown subcommand `frobnicate`");
    expect(h.github.requests.filter((r) => r.kind === "git")).toEqual([]);
  });

  test("AGENTS.md from the default branch reaches the model beside the files, and the status comment says so", async () => {
    await h.github.commitFiles(repo.ref, {
      branch: "main",
      files: { "AGENTS.md": "# Conventions\n\nAlways run `npm test` before finishing.\n", ".github/codegen.yml": "limits:\n  max_iterations: 1\n" },
      message: "agent conventions",
    });
    h.anthropic.script(
      message({ content: [toolUse(EDITOR, { command: "str_replace", path: "src/cli.js", old_str: "Hello", new_str: "Hi" })] }),
      message({ content: "Changed the greeting." }),
    );
    await h.deliver("issue_comment", comment("/codegen change the greeting").payload);
    await h.queue.onIdle();

    const system = JSON.stringify(h.anthropic.requests[0]!.body?.system);
    expect(system).toContain('<repository_instructions path=\\"AGENTS.md\\">\\n# Conventions\\n\\nAlways run `npm test` before finishing.\\n</repository_instructions>');
    expect(botComments()[0]!.body).toMatch(/Repository instructions: `AGENTS\.md` \(\d+ tokens\), from the default branch\./);
  });

  test("an instructions file named in the config but missing refuses the job, naming the setting", async () => {
    await h.github.commitFiles(repo.ref, { branch: "main", files: { ".github/codegen.yml": "instructions: docs/bot.md\n" }, message: "config" });
    await h.deliver("issue_comment", comment("/codegen add a flag please").payload);
    await h.queue.onIdle();
    expect(botComments()[0]!.body).toContain("`instructions`: docs/bot.md is missing or empty on the default branch");
    expect(h.github.requests.filter((r) => r.kind === "git")).toEqual([]);
    expect(h.anthropic.requests).toEqual([]);
  });

  test("an invalid .github/codegen.yml gets a status comment naming the key, and no job runs", async () => {
    await h.github.commitFiles(repo.ref, { branch: "main", files: { ".github/codegen.yml": "limits:\n  max_iteration: 3\ntest: 42\n" }, message: "bad config" });
    await h.deliver("issue_comment", comment("/codegen add a flag please").payload);
    await h.queue.onIdle();
    const status = botComments()[0]!.body;
    expect(status).toContain("`limits.max_iteration`: is not a known setting");
    expect(status).toContain("`test`: expected string");
    expect(h.github.requests.filter((r) => r.kind === "git")).toEqual([]);
    expect(h.anthropic.requests).toEqual([]);
  });
});

describe("/codegen when the operator has not configured the model", () => {
  test("the job fails with a message saying which setting is missing, and nothing is pushed", async () => {
    const h = await startAppHarness({ env: { ANTHROPIC_API_KEY: "" } });
    try {
      const repo = await h.seedCliTool();
      h.github.addIssue(repo.ref, { title: "Add a flag", body: "", user: "alice" });
      const c = h.github.addComment(repo.ref, 1, { body: "/codegen add a --verbose flag", user: "alice" });
      await h.deliver("issue_comment", issueCommentCreated(h.github, repo.ref, c.id));
      await h.queue.onIdle();
      const status = h.github.comments(repo.ref, 1).find((x) => x.author === h.github.botLogin)!.body;
      expect(status).toContain("**Gave up.**");
      expect(status).toContain("ANTHROPIC_API_KEY");
      expect(h.anthropic.requests).toEqual([]);
      expect(Object.keys(await h.github.branches(repo.ref))).toEqual(["main"]);
    } finally {
      expect(await h.close()).toEqual([]);
    }
  });
});
