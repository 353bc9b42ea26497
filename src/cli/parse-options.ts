import { parseArgs, type ParseArgsConfig } from "node:util";
import type { z } from "zod";
import { ConfigurationError } from "../errors/index.js";

/**
 * Parse `--flag value` arguments with node:util and validate them with a zod schema, so every
 * command reports bad input the same way: which option, and what it expects.
 */
export function parseOptions<S extends z.ZodType>(
  args: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  schema: S,
  usage: string,
): z.infer<S> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new ConfigurationError(`${(error as Error).message}\n${usage}`);
  }
  const result = schema.safeParse(values);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      key: issue.path.join(".") || "(options)",
      message: issue.message,
    }));
    const lines = issues.map((i) => `  --${i.key}: ${i.message}`).join("\n");
    throw new ConfigurationError(`invalid options:\n${lines}\n${usage}`, issues);
  }
  return result.data;
}
