import type { Tool } from "@anthropic-ai/sdk/resources/messages";
import { z } from "zod";

export const RUN_TESTS_TOOL_NAME = "run_tests";

/** `run_tests`: the orchestrator runs the repository's test command in the sandbox; we only define it. */
export function runTestsToolDefinition(): Tool {
  return {
    name: RUN_TESTS_TOOL_NAME,
    description:
      "Run the repository's test command in an isolated sandbox (no network) on the current state of your edits, " +
      "and get back the exit code and the test output (trimmed to the failures when it is long). " +
      "Pass `filter` to run only the tests whose names or files match it; omit it to run the whole suite.",
    input_schema: {
      type: "object",
      properties: {
        filter: { type: "string", description: "Optional test name or file filter passed to the test runner." },
      },
      required: [],
    },
  };
}

const inputSchema = z.object({ filter: z.string().trim().min(1).max(500).optional() }).strict();

export type RunTestsInput = z.infer<typeof inputSchema>;

/** Validates the model's input for run_tests; the error text is for a tool_result with is_error. */
export function parseRunTestsInput(input: unknown): { ok: true; value: RunTestsInput } | { ok: false; reason: string } {
  const parsed = inputSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reason: `Invalid input for ${RUN_TESTS_TOOL_NAME}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}. Use {} or {"filter": "<test name or file>"}.` };
}
