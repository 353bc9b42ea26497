import { titleOf } from "../../src/context/rank.js";
import { discussionText, selectionText, taskMessage, type FrozenThread } from "../../src/jobs/prompts.js";

const thread: FrozenThread = {
  number: 7,
  title: "Duration.toISOString prints too many digits",
  body: "PT0.6666666S instead of PT0.667S",
  comments: [{ author: "ana", body: "+1, any update?" }],
};

describe("selectionText", () => {
  it.each<[string, Parameters<typeof selectionText>[0], string]>([
    ["the task alone without an issue", { task: "add a --verbose flag\nto the CLI" }, "add a --verbose flag\nto the CLI"],
    [
      "the issue's title first, then the task, then its description",
      { task: "fix this", thread },
      "Duration.toISOString prints too many digits\n\nfix this\n\nPT0.6666666S instead of PT0.667S",
    ],
    ["an empty task or description leaves no blank sections", { task: "", thread: { ...thread, body: " " } }, "Duration.toISOString prints too many digits"],
    [
      "a review comment's file is named with the task",
      { task: "end it with an exclamation mark", thread, anchor: { path: "src/shout.js", line: 3, diffHunk: "@@ -0,0 +1,3 @@" } },
      "Duration.toISOString prints too many digits\n\nsrc/shout.js: end it with an exclamation mark\n\nPT0.6666666S instead of PT0.667S",
    ],
    [
      "a bot's description (codegen's report on its own pull request) is not searched",
      { task: "also shout the name", thread: { ...thread, title: "Add a --verbose flag", body: "| `src/cli.js` | target | 120 | bm25 0.60 |\n**Iterations:** 2", bodyByBot: true } },
      "Add a --verbose flag\n\nalso shout the name",
    ],
  ])("%s", (_name, input, text) => {
    expect(selectionText(input)).toBe(text);
  });

  it("gives the selector the issue's title as its title, and leaves comments out", () => {
    const text = selectionText({ task: "fix this", thread });
    expect(titleOf(text)).toBe(thread.title);
    expect(text).not.toContain("any update");
  });
});

describe("taskMessage: the change already on the branch", () => {
  const diff = "diff --git a/src/a.js b/src/a.js\n--- a/src/a.js\n+++ b/src/a.js\n@@ -1 +1 @@\n-a\n+b";

  it.each<[string, boolean, number | undefined, RegExp, RegExp]>([
    ["a follow-up on codegen's own pull request", true, 12, /<previous_change>\nThis is a follow-up\. .*pull request #12 against `main`/, /<pull_request|<branch_change/],
    ["a person's pull request", false, 12, /<pull_request number="12">\nYou work on the branch of this pull request, .*against `main`.*proposed as a pull request into that branch/, /<previous_change>|<branch_change/],
    ["a local branch (codegen run --base)", false, undefined, /<branch_change base="main">\nYou work on a local branch, .*since it left `main`.*added on top of it/, /<previous_change>|<pull_request/],
  ])("%s", (_name, followUp, pullNumber, present, absent) => {
    const text = taskMessage({ task: "also handle the empty case", thread, branchChange: { followUp, pullNumber, baseRef: "main", diff } });
    expect(text).toMatch(present);
    expect(text).not.toMatch(absent);
    expect(text).toContain(diff);
    // The change comes before the task, which is last, so the model reads what exists before what to do.
    expect(text.indexOf(diff)).toBeLessThan(text.indexOf("<task>"));
  });

  it("says nothing of a branch change on an issue", () => {
    const text = taskMessage({ task: "add a flag", thread });
    expect(text).not.toMatch(/previous_change|pull_request|branch_change/);
  });
});

describe("discussionText", () => {
  it.each<[string, FrozenThread | undefined, string]>([
    ["no thread", undefined, ""],
    ["no comments", { ...thread, comments: [] }, ""],
    ["the comments' bodies, blank ones left out", { ...thread, comments: [{ author: "a", body: " see lib/x.js " }, { author: "b", body: "  " }, { author: "c", body: "and y.py" }] }, "see lib/x.js\n\nand y.py"],
  ])("%s", (_name, input, expected) => {
    expect(discussionText(input)).toBe(expected);
  });
});

describe("taskMessage: a command on a line of the diff", () => {
  const hunk = "@@ -0,0 +1,3 @@\n+/** Upper-case a greeting. */\n+export function shout(text) {\n+  return text.toUpperCase();";

  it("shows the file, the line and the hunk before the task", () => {
    const text = taskMessage({ task: "end it with an exclamation mark", anchor: { path: "src/shout.js", line: 3, diffHunk: hunk } });
    expect(text).toContain('<review_comment path="src/shout.js" line="3">');
    expect(text).toContain("its last line is line 3 of `src/shout.js`");
    expect(text).toContain("```diff\n" + hunk + "\n```");
    expect(text.indexOf("<review_comment")).toBeLessThan(text.indexOf("<task>"));
  });

  it("leaves the line out when GitHub reports none (a comment on the whole file)", () => {
    const text = taskMessage({ task: "rename it", anchor: { path: "src/shout.js", line: null, diffHunk: hunk } });
    expect(text).toContain('<review_comment path="src/shout.js">');
    expect(text).not.toContain("its last line");
  });
});
