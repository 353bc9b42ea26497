/**
 * Token counting for the prompt. Claude 3 and later tokenizers are not published: the exact count needs the
 * `count_tokens` API (network, which the selector must not use), and `@anthropic-ai/tokenizer` carries the
 * Claude 2 vocabulary, costs about a second per megabyte, and is only a proxy too. So the selector uses a
 * linear estimator over cheap text features (word pieces, digits, punctuation, line breaks, non-ASCII
 * characters) whose coefficients were fitted against `@anthropic-ai/tokenizer` on source files in several
 * languages (bench/localize/calibrate-tokens.ts prints the fit and its error), then scaled up by a safety margin
 * because newer Claude tokenizers spend more tokens on code than the Claude 2 one. Counting always runs over the
 * text exactly as it is rendered into the prompt (headers included), never over raw file contents.
 */

/** Fitted coefficients (see bench/localize/calibrate-tokens.ts). */
export const TOKEN_COEFFICIENTS = {
  wordPiece: 0.95,
  digit: 0.84,
  punctuation: 0.42,
  // A line break usually merges with the punctuation before it or the indentation after it into its own tokens.
  newline: 1.78,
  indent: 0.11,
  // CJK and other non-ASCII text costs about a token per character (the fit had too little of it to say).
  nonAscii: 1.0,
  /** Newer Claude tokenizers use roughly 10–30% more tokens than the Claude 2 vocabulary on code. */
  margin: 1.15,
} as const;

export interface TokenFeatures {
  wordPieces: number;
  digits: number;
  punctuation: number;
  newlines: number;
  /** Runs of two or more spaces or tabs (indentation), in chunks of four. */
  indents: number;
  nonAscii: number;
}

const isUpper = (code: number) => code >= 65 && code <= 90;
const isLower = (code: number) => code >= 97 && code <= 122;

/** Letters split into pieces the way BPE vocabularies tend to: at case changes, and in chunks of about 6 letters. */
function wordPieces(text: string): number {
  let pieces = 0;
  let run = 0;
  let previousLower = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const upper = isUpper(code);
    if (!upper && !isLower(code)) {
      if (run > 0) pieces += Math.ceil(run / 6);
      run = 0;
      previousLower = false;
      continue;
    }
    if (upper && previousLower && run > 0) {
      pieces += Math.ceil(run / 6);
      run = 0;
    }
    run++;
    previousLower = !upper;
  }
  if (run > 0) pieces += Math.ceil(run / 6);
  return pieces;
}

export function tokenFeatures(text: string): TokenFeatures {
  let digits = 0;
  let punctuation = 0;
  let newlines = 0;
  let nonAscii = 0;
  let indents = 0;
  let blanks = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 9) {
      blanks++;
      continue;
    }
    if (blanks >= 2) indents += Math.ceil(blanks / 4);
    blanks = 0;
    if (code === 10) newlines++;
    else if (code >= 48 && code <= 57) digits++;
    else if (code > 127) nonAscii++;
    else if (code > 32 && !((code >= 65 && code <= 90) || (code >= 97 && code <= 122))) punctuation++;
  }
  if (blanks >= 2) indents += Math.ceil(blanks / 4);
  return { wordPieces: wordPieces(text), digits, punctuation, newlines, indents, nonAscii };
}

export function estimateFromFeatures(features: TokenFeatures, margin: number = TOKEN_COEFFICIENTS.margin): number {
  const c = TOKEN_COEFFICIENTS;
  const raw =
    c.wordPiece * features.wordPieces +
    c.digit * features.digits +
    c.punctuation * features.punctuation +
    c.newline * features.newlines +
    c.indent * features.indents +
    c.nonAscii * features.nonAscii;
  return Math.ceil(raw * margin);
}

/** Estimated prompt tokens of a text, as it will be sent. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return estimateFromFeatures(tokenFeatures(text));
}
