import { parseCommand } from "../../src/commands/parse-command.js";

describe("parseCommand", () => {
  test.each([
    ["plain task", "/codegen add a --verbose flag to the CLI", { kind: "task", task: "add a --verbose flag to the CLI", restart: false }],
    ["task with details on following lines", "/codegen fix the parser\nIt crashes on empty input.", { kind: "task", task: "fix the parser\nIt crashes on empty input.", restart: false }],
    ["command later in the comment, at a line start", "Thanks!\n\n/codegen rename foo to bar", { kind: "task", task: "rename foo to bar", restart: false }],
    ["indented up to three spaces", "   /codegen do the thing please", { kind: "task", task: "do the thing please", restart: false }],
    ["help", "/codegen help", { kind: "help" }],
    ["--help", "/codegen --help", { kind: "help" }],
    ["bare command", "/codegen", { kind: "help" }],
    ["bare command with the task below", "/codegen\nadd tests for utils", { kind: "task", task: "add tests for utils", restart: false }],
    ["restart", "/codegen restart add tests", { kind: "task", task: "add tests", restart: true }],
    ["restart without task", "/codegen restart", { kind: "help", reason: "`/codegen restart` needs a task after it." }],
    ["cancel", "/codegen cancel", { kind: "cancel" }],
    ["CRLF line endings", "hi\r\n/codegen fix it now\r\n", { kind: "task", task: "fix it now", restart: false }],
  ])("%s", (_name, body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  test.each([
    ["mid-line mention", "please run /codegen add a flag"],
    ["quoted", "> /codegen add a flag"],
    ["inside a fenced code block", "```\n/codegen add a flag\n```"],
    ["inside a tilde fence", "~~~sh\n/codegen add a flag\n~~~"],
    ["prefix of another word", "/codegenerate things"],
    ["four-space indent is a code block", "    /codegen add a flag"],
    ["no command", "just a comment"],
  ])("ignores %s", (_name, body) => {
    expect(parseCommand(body)).toBeNull();
  });

  test("an unknown one-word subcommand gets help, not a job", () => {
    expect(parseCommand("/codegen frobnicate")).toEqual({
      kind: "help",
      reason: "Unknown subcommand `frobnicate`. To ask for a change, describe it in a sentence.",
    });
  });

  test("an unknown option gets help", () => {
    expect(parseCommand("/codegen --force do it")).toEqual({ kind: "help", reason: "Unknown option `--force`." });
  });

  test("a command after a closed fence counts", () => {
    expect(parseCommand("```\ncode\n```\n/codegen add a flag")).toEqual({ kind: "task", task: "add a flag", restart: false });
  });
});
