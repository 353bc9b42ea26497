import { message, textBlock, toolUse } from "./anthropic-standin/index.js";

const EDITOR = "str_replace_based_edit_tool";

/**
 * For the cli-tool fixture: a scripted model that adds --verbose but breaks --name first, then fixes it when shown the failure. */
export const breakThenFix = () => [
  message({ content: [textBlock("Let me look at the CLI."), toolUse(EDITOR, { command: "view", path: "src/cli.js" })] }),
  message({
    content: [
      toolUse(EDITOR, {
        command: "str_replace",
        path: "src/cli.js",
        old_str: '  const options = { name: "world" };\n  for (let i = 0; i < argv.length; i++) {\n    if (argv[i] === "--name") options.name = argv[++i];\n  }',
        new_str:
          '  const options = { name: "world", verbose: false };\n  for (let i = 0; i < argv.length; i++) {\n    if (argv[i] === "--name") options.name = argv[i];\n    if (argv[i] === "--verbose") options.verbose = true;\n  }',
      }),
      toolUse(EDITOR, {
        command: "create",
        path: "test/verbose.test.js",
        file_text:
          'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { parseArgs } from "../src/cli.js";\n\ntest("parses --verbose", () => {\n  assert.equal(parseArgs(["--verbose"]).verbose, true);\n  assert.equal(parseArgs([]).verbose, false);\n});\n',
      }),
    ],
  }),
  message({ content: "Added a --verbose flag and a test for it." }),
  message({
    content: [
      toolUse(EDITOR, {
        command: "str_replace",
        path: "src/cli.js",
        old_str: 'options.name = argv[i];',
        new_str: "options.name = argv[++i];",
      }),
    ],
  }),
  message({ content: "Added a `--verbose` flag (default false) to `parseArgs`, with a test, and kept `--name` consuming its value." }),
];

