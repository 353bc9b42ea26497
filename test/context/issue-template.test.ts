import { normalizeLine, searchableText, stripTemplate, templatePhrases } from "../../src/context/issue-template.js";

const TEMPLATE = `---
name: Bug report
about: Create a report
---

**Describe the bug**
A clear and concise description of what the bug is.

**Information**
 - Version [e.g. v1.0.0]
 - Time zone: [e.g. GMT-07:00]
`;

describe("issue templates", () => {
  it("normalises markdown lines", () => {
    expect(normalizeLine(" - **Time zone**: [e.g. GMT]")).toBe("time zone :");
  });

  it("collects template lines and labels, without front matter", () => {
    const phrases = templatePhrases(".github/ISSUE_TEMPLATE/bug.md", TEMPLATE);
    expect(phrases).toEqual(expect.arrayContaining(["describe the bug", "a clear and concise description of what the bug is.", "time zone", "version"]));
    expect(phrases.some((p) => p.includes("bug report"))).toBe(false);
  });

  it("reads labels from issue forms", () => {
    expect(templatePhrases("bug.yml", "body:\n  - type: input\n    attributes:\n      label: Browser version\n")).toEqual(["browser version"]);
  });

  it("removes template text from an issue, keeping answers and code", () => {
    const phrases = templatePhrases("bug.md", TEMPLATE);
    const issue = "**Describe the bug**\nOffsets are lost in `tz()`\n```\nTime zone: inside code stays\n```\n - Time zone: Europe/Warsaw\n";
    expect(stripTemplate(issue, phrases)).toBe("Offsets are lost in `tz()`\n```\nTime zone: inside code stays\n```\neurope/warsaw\n");
    expect(stripTemplate(issue, [])).toBe(issue);
  });

  it("drops images, HTML and URLs from the searchable text but keeps link text", () => {
    expect(searchableText("see ![shot](https://x/y.png) <b>bold</b> [the docs](https://d.example/p) at https://codepen.io/x")).toBe("see    bold  the docs at  ");
  });
  it("recognises ticked checklist items and lightly edited template lines", () => {
    const template = "### Prerequisites\n\n- [ ] Checked that your issue hasn't already been filed by cross-referencing issues with the `faq` label\n";
    const phrases = templatePhrases(".github/ISSUE_TEMPLATE/bug_report.md", template);
    expect(normalizeLine("- [x] Checked that it works")).toBe("checked that it works");
    const issue = "- [x] Checked that your issue hasn't already been filed by cross-referencing issues with the `faq` label\n- [X] Checked that your issue hasn't been filed by cross-referencing issues with the `faq` label\nThe --file option is ignored\n";
    expect(stripTemplate(issue, phrases)).toBe("The --file option is ignored\n");
  });
});
