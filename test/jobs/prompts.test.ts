import { titleOf } from "../../src/context/rank.js";
import { selectionText, type FrozenThread } from "../../src/jobs/prompts.js";

const thread: FrozenThread = {
  number: 7,
  title: "Duration.toISOString prints too many digits",
  body: "PT0.6666666S instead of PT0.667S",
  comments: [{ author: "ana", body: "+1, any update?" }],
};

describe("selectionText", () => {
  it.each<[string, { task: string; thread?: FrozenThread }, string]>([
    ["the task alone without an issue", { task: "add a --verbose flag\nto the CLI" }, "add a --verbose flag\nto the CLI"],
    [
      "the issue's title first, then the task, then its description",
      { task: "fix this", thread },
      "Duration.toISOString prints too many digits\n\nfix this\n\nPT0.6666666S instead of PT0.667S",
    ],
    ["an empty task or description leaves no blank sections", { task: "", thread: { ...thread, body: " " } }, "Duration.toISOString prints too many digits"],
  ])("%s", (_name, input, text) => {
    expect(selectionText(input)).toBe(text);
  });

  it("gives the selector the issue's title as its title, and leaves comments out", () => {
    const text = selectionText({ task: "fix this", thread });
    expect(titleOf(text)).toBe(thread.title);
    expect(text).not.toContain("any update");
  });
});
