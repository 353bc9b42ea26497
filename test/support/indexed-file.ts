import type { IndexedFile } from "../../src/context/repo-index.js";

/** A source file as the repository index holds it, with only what a signal test needs filled in. */
export function indexedFile(
  path: string,
  fields: { defs?: string[]; defKind?: string; refs?: Record<string, number>; imports?: string[]; terms?: Record<string, number>; messages?: string[] } = {},
): IndexedFile {
  const kind = fields.defKind ?? "function";
  return {
    path,
    kind: "source",
    bytes: 1,
    tokens: 1,
    language: "javascript",
    pathTerms: [],
    terms: fields.terms ?? {},
    defs: (fields.defs ?? []).map((name, i) => ({ name, kind, line: i + 1, endLine: i + 1, signature: name })),
    refs: fields.refs ?? {},
    imports: fields.imports ?? [],
    chunks: [],
    ...(fields.messages ? { messages: fields.messages } : {}),
  };
}
