import { branchNameFor, slugify } from "../../src/github/branch-name.js";

describe("branch names", () => {
  test.each([
    ["add a --verbose flag to the CLI", "add-a-verbose-flag-to-the-cli"],
    ["Fix `parse()` crash on ÉMPTY input!!", "fix-parse-crash-on-empty-input"],
    ["../../etc/passwd", "etc-passwd"],
    ["日本語だけ", ""],
    ["a".repeat(100), "a".repeat(40)],
    ["make the very long task description shorter than forty characters please", "make-the-very-long-task-description"],
  ])("slugify(%j)", (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  test("branch name carries the issue number and falls back when the slug is empty", () => {
    expect(branchNameFor(12, "add a flag")).toBe("codegen/issue-12-add-a-flag");
    expect(branchNameFor(3, "日本語")).toBe("codegen/issue-3-change");
    expect(branchNameFor(5, "x", "pr")).toBe("codegen/pr-5-x");
  });
});
