import { goParser } from "./go.js";
import { jestParser } from "./jest.js";
import { mochaParser } from "./mocha.js";
import type { TestOutputParser } from "./parser.js";
import { pytestParser } from "./pytest.js";
import { tapParser } from "./tap.js";
import { vitestParser } from "./vitest.js";

export type { ParseContext, ParsedTestOutput, TestOutputParser } from "./parser.js";

/** Every known runner's parser. Adding a runner means adding its parser here. */
export const testOutputParsers: readonly TestOutputParser[] = [
  jestParser,
  vitestParser,
  mochaParser,
  tapParser,
  pytestParser,
  goParser,
];

/** Weight of the command line naming the runner, against an output score of 0–1. */
const COMMAND_WEIGHT = 0.5;

/**
 * The parser for this output: the best combined score of "the command runs it" and "the output looks like
 * it". The output decides when they disagree (e.g. `npm test` or `make test` wrapping a runner).
 */
export function selectParser(command: string, text: string): TestOutputParser | null {
  let best: { parser: TestOutputParser; score: number } | null = null;
  for (const parser of testOutputParsers) {
    const score = (parser.matchesCommand(command) ? COMMAND_WEIGHT : 0) + parser.outputScore(text);
    if (score > 0 && (best === null || score > best.score)) best = { parser, score };
  }
  return best?.parser ?? null;
}
