import { newProgress } from "../../src/jobs/progress.js";
import { fence, renderStatusComment, statusMarker } from "../../src/github/status-comment.js";

describe("renderStatusComment", () => {
  test("shows every stage as a checklist with the marker", () => {
    const progress = newProgress({ title: "add a --verbose flag", jobId: "j1", requestedBy: "alice" });
    const text = renderStatusComment(progress);
    expect(text.startsWith(statusMarker("j1"))).toBe(true);
    expect(text).toContain("Requested by @alice");
    for (const label of ["Queued", "Cloning", "Selecting context", "Generating", "Testing", "Verifying", "Opening pull request"]) {
      expect(text).toContain(label);
    }
    expect(text).toContain("⏳ Queued");
    expect(text).toContain("⬜ Cloning");
  });

  test("a success links the pull request", () => {
    const progress = newProgress({ title: "t", jobId: "j" });
    progress.stages.delivering = { state: "done", detail: "#7" };
    progress.outcome = { kind: "succeeded", summary: "Opened pull request", url: "https://example.test/pr/7" };
    expect(renderStatusComment(progress)).toContain("**Done.** Opened pull request https://example.test/pr/7");
  });

  test("a give-up says why, shows the last failure and that nothing was pushed", () => {
    const progress = newProgress({ title: "t", jobId: "j" });
    progress.outcome = { kind: "failed", reason: "tests still fail after 4 iterations", lastFailure: "expect(1).toBe(2)", spent: "4 iterations" };
    const text = renderStatusComment(progress);
    expect(text).toContain("**Gave up.** tests still fail after 4 iterations");
    expect(text).toContain("expect(1).toBe(2)");
    expect(text).toContain("Nothing was pushed.");
  });

  test("fences cannot be broken by backticks in the content", () => {
    const block = fence("a ``` b ```` c");
    expect(block.startsWith("`````\n")).toBe(true);
    expect(block.endsWith("\n`````")).toBe(true);
  });

  test("sections are appended as given, after the outcome", () => {
    const progress = newProgress({ title: "t", jobId: "j" });
    progress.sections.push({ key: "context", markdown: "<details><summary>Context</summary>\n\n- a.ts\n</details>" });
    const text = renderStatusComment(progress);
    expect(text.endsWith("<details><summary>Context</summary>\n\n- a.ts\n</details>")).toBe(true);
  });
});
