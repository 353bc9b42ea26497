import { shellQuote, testCommandWithFilter } from "../../src/jobs/test-filter.js";

describe("testCommandWithFilter", () => {
  test.each([
    ["npm test", undefined, "npm test"],
    ["npm test", "parser", "npm test -- 'parser'"],
    ["npm run test", "a b", "npm run test -- 'a b'"],
    ["npm test -- --ci", "x", "npm test -- --ci 'x'"],
    ["python3 -m pytest -q", "test_add", "python3 -m pytest -q -k 'test_add'"],
    ["go test ./...", "TestAdd", "go test ./... -run 'TestAdd'"],
    ["npx jest", "math", "npx jest 'math'"],
  ])("%s + %s", (command, filter, expected) => {
    expect(testCommandWithFilter(command, filter)).toBe(expected);
  });

  test("quotes single quotes and shell metacharacters", () => {
    expect(shellQuote("it's; rm -rf /")).toBe(`'it'\\''s; rm -rf /'`);
  });
});
