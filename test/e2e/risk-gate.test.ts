import { message, toolUse } from "../support/anthropic-standin/index.js";
import { startAppHarness, type AppHarness } from "../support/app-harness.js";
import type { SeededRepository } from "../support/github-standin/index.js";
import { issueCommentCreated, pullRequestReviewSubmitted, pullRequestSynchronize } from "../support/webhooks.js";

const EDITOR = "str_replace_based_edit_tool";
const MIGRATION = "db/migrate/20261126000000_add_verbose_to_settings.rb";

/** A scripted model whose whole change is one new unit test: a low-tier change. */
const addsOneTest = () => [
  message({
    content: [
      toolUse(EDITOR, {
        command: "create",
        path: "test/greet-more.test.js",
        file_text:
          'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { greet } from "../src/cli.js";\n\ntest("greets the world", () => {\n  assert.equal(greet({ name: "world" }), "Hello, world!");\n});\n',
      }),
    ],
  }),
  message({ content: "Added a test for the default greeting." }),
];

describe("risk gate, end to end", () => {
  let h: AppHarness;
  let repo: SeededRepository;

  beforeEach(async () => {
    h = await startAppHarness();
    repo = await h.seedCliTool();
    h.github.setPermission(repo.ref, "carol", "write");
    h.github.setPermission(repo.ref, "bob", "read");
    h.github.addIssue(repo.ref, { title: "Store the verbose setting", body: "", user: "alice" });
  });

  afterEach(async () => {
    // Whatever happened, no sandbox of these jobs survives them.
    expect(await h.close()).toEqual([]);
  });

  const gateRuns = () => h.github.checkRuns(repo.ref).filter((c) => c.name === "codegen/risk-gate");
  const review = async (pullNumber: number, user: string, commitId?: string) => {
    const { id } = await h.github.addReview(repo.ref, pullNumber, { user, state: "APPROVED", commitId });
    const response = await h.deliver("pull_request_review", await pullRequestReviewSubmitted(h.github, repo.ref, pullNumber, id));
    expect(response.status).toBe(200);
  };

  test("a migration opens a draft, do-not-merge PR whose gate only a writer's approval of the head opens", async () => {
    await h.github.commitFiles(repo.ref, { branch: "main", files: { ".github/CODEOWNERS": "* @alice\ndb/ @carol @acme/dba\n" }, message: "owners" });
    h.anthropic.script(
      message({
        content: [
          toolUse(EDITOR, {
            command: "create",
            path: MIGRATION,
            file_text: "class AddVerboseToSettings < ActiveRecord::Migration[7.1]\n  def change\n    add_column :settings, :verbose, :boolean, default: false\n  end\nend\n",
          }),
        ],
      }),
      message({ content: "Added a migration that stores the verbose setting." }),
    );
    const c = h.github.addComment(repo.ref, 1, { body: "/codegen add a verbose column to settings", user: "alice" });
    await h.deliver("issue_comment", issueCommentCreated(h.github, repo.ref, c.id));
    await h.queue.onIdle();

    const [pull] = await h.github.pulls(repo.ref);
    expect(pull).toBeDefined();
    expect(pull!.draft).toBe(true);
    expect(pull!.labels).toEqual(expect.arrayContaining(["codegen", "risk:critical", "do-not-merge"]));
    expect(pull!.body).toContain(MIGRATION);
    expect(pull!.body).toMatch(/After \(this change\) \| not run/);
    // Reviews are requested from the owners of the touched paths (the app itself never is).
    expect(pull!.requestedReviewers).toEqual(["carol"]);
    expect(pull!.requestedTeams).toEqual(["dba"]);
    const created = h.github.labels(repo.ref).find((l) => l.name === "risk:critical");
    expect(created?.description).toBeTruthy();
    // The migration was never executed: after the baseline, no test run happened on the change.
    const status = h.github.comments(repo.ref, 1).find((x) => x.author === h.github.botLogin)!.body;
    expect(status).toContain("not run: a critical-tier change is never executed");

    expect(gateRuns().map((r) => r.conclusion)).toEqual(["action_required"]);

    // An approval of an older commit, a reader's approval and the app's own approval change nothing.
    await review(pull!.number, "alice", repo.headSha);
    await review(pull!.number, "bob");
    await review(pull!.number, h.github.botLogin);
    expect(gateRuns().map((r) => r.conclusion)).toEqual(["action_required"]);
    expect(gateRuns()[0]!.summary).toContain("approve again");

    // A writer approves the head commit: the gate opens. The app never merges.
    await review(pull!.number, "carol");
    expect(gateRuns().map((r) => r.conclusion)).toEqual(["success"]);
    expect(gateRuns()[0]!.title).toContain("@carol");
    expect(h.github.requests.filter((r) => /\/merge$/.test(r.path) || r.method === "PUT")).toEqual([]);
    expect(h.github.graphqlCalls).toEqual([]);
    expect((await h.github.pull(repo.ref, pull!.number)).state).toBe("open");

    // A person pushes a new commit: the earlier approval no longer covers the head.
    const before = (await h.github.pull(repo.ref, pull!.number)).headSha;
    await h.github.commitFiles(repo.ref, { branch: pull!.head, files: { "NOTES.md": "reviewed\n" }, message: "notes" });
    await h.deliver("pull_request", await pullRequestSynchronize(h.github, repo.ref, pull!.number, before, "carol"));
    const head = (await h.github.pull(repo.ref, pull!.number)).headSha;
    const onHead = gateRuns().filter((r) => r.headSha === head);
    expect(onHead.map((r) => r.conclusion)).toEqual(["action_required"]);
  });

  test("a low-tier change gets a successful gate and no auto-merge unless the repository opts in", async () => {
    h.anthropic.script(...addsOneTest());
    const c = h.github.addComment(repo.ref, 1, { body: "/codegen add a test for the default greeting", user: "alice" });
    await h.deliver("issue_comment", issueCommentCreated(h.github, repo.ref, c.id));
    await h.queue.onIdle();
    const [pull] = await h.github.pulls(repo.ref);
    expect(pull!.draft).toBe(false);
    expect(pull!.labels).toEqual(expect.arrayContaining(["codegen", "risk:low"]));
    expect(gateRuns().map((r) => r.conclusion)).toEqual(["success"]);
    expect(pull!.autoMerge).toBeNull();
    expect(h.github.graphqlCalls).toEqual([]);
  });

  test("with auto_merge opted in, a low-tier PR gets GitHub's auto-merge (never a direct merge)", async () => {
    await h.github.commitFiles(repo.ref, { branch: "main", files: { ".github/codegen.yml": "auto_merge: true\n" }, message: "opt in" });
    h.anthropic.script(...addsOneTest());
    const c = h.github.addComment(repo.ref, 1, { body: "/codegen add a test for the default greeting", user: "alice" });
    await h.deliver("issue_comment", issueCommentCreated(h.github, repo.ref, c.id));
    await h.queue.onIdle();
    const [pull] = await h.github.pulls(repo.ref);
    expect(pull!.autoMerge).not.toBeNull();
    expect(h.github.requests.filter((r) => /\/merge$/.test(r.path))).toEqual([]);
  });
});
