import { extractMessages, messageScores, normalizeMessage } from "../../../src/context/signals/messages.js";
import { indexedFile } from "../../support/indexed-file.js";

const file = (path: string, content: string) => indexedFile(path, { messages: extractMessages(content) });

describe("extractMessages", () => {
  it("keeps what a file throws, logs or reports, cut at interpolations", () => {
    const content = [
      "const message = files.length ? `Error: No test files found: ${pattern}` : 'Error: No test files found';",
      "reject(new AxiosError('Unsupported protocol ' + protocol + ':', code));",
      "console.warn('%s is deprecated, use %s instead', old, next);",
      "const INVALID = 'Invalid Date';",
      "import x from './some/long/path/file.js';",
      "const url = 'https://example.com/some/page';",
    ].join("\n");
    const messages = extractMessages(content);
    expect(messages).toEqual(expect.arrayContaining(["no test files found", "unsupported protocol", "is deprecated use"]));
    // Not printed (a constant), a path and a URL are not messages.
    expect(messages).not.toContain("invalid date");
    expect(messages.some((m) => m.includes("some long path") || m.includes("example"))).toBe(false);
  });

  it("normalises to lower-case words", () => {
    expect(normalizeMessage("  Error: No `test` files—found! ")).toBe("error no test files found");
  });
});

describe("messageScores", () => {
  const files = [
    file("lib/cli/collect-files.js", "throw new Error('Error: No test files found');"),
    file("lib/adapters/http.js", "reject(createError('Unsupported protocol ' + protocol));"),
    file("lib/adapters/xhr.js", "reject(createError('Unsupported protocol ' + protocol));"),
    file("lib/other.js", "console.log('nothing to see here today');"),
  ];

  it("scores the file whose message the issue quotes, in either word order around the label", () => {
    const scores = messageScores(files, "mocha --file foo.js returns a `No test files found` error");
    expect([...scores.keys()]).toEqual(["lib/cli/collect-files.js"]);
    expect(scores.get("lib/cli/collect-files.js")!.score).toBeCloseTo(1);
  });

  it("divides a shared message among the files that print it, and shorter messages count less", () => {
    const scores = messageScores(files, 'AxiosError { message: "Unsupported protocol /api/resource:" }');
    expect(scores.get("lib/adapters/http.js")!.score).toBeCloseTo(0.25);
    expect(scores.get("lib/adapters/xhr.js")!.score).toBeCloseTo(0.25);
  });

  it("needs the whole fragment on word boundaries", () => {
    expect(messageScores(files, "no test files foundry").size).toBe(0);
    expect(messageScores(files, "nothing").size).toBe(0);
  });
});
