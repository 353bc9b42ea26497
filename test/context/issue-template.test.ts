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
});
