import { Language, Parser, Query } from "web-tree-sitter";
import { grammarPath, languageFor, runtimeWasmPath, type LanguageSpec } from "./languages.js";

/** A definition found in a file: what the repository map shows and what function-level search indexes. */
export interface Definition {
  name: string;
  kind: string;
  /** 1-based first and last line of the whole definition. */
  line: number;
  endLine: number;
  /** The definition's first line, trimmed: a compact signature. */
  signature: string;
}

export interface FileTags {
  /** Grammar used, or "text" for the fallback. */
  language: string;
  defs: Definition[];
  /** Identifiers used in the file (three characters or more) and how often. */
  refs: Record<string, number>;
  /** Module specifiers the file imports, as written. */
  imports: string[];
}

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]{2,}/g;
const IGNORED_REFS = new Set(
  (
    "const let var function return import export from default class extends new this self super true false null " +
    "undefined async await yield typeof instanceof delete void while for break continue switch case throw try catch " +
    "finally else def elif pass lambda None True False and not with raise except global nonlocal func package struct " +
    "interface type range chan defer select go map public private protected static final abstract implements throws " +
    "end begin module require include then unless elsif nil rescue ensure string number boolean any unknown never object"
  ).split(" "),
);

export function extractRefs(content: string): Record<string, number> {
  // No prototype: an identifier such as `constructor` must not read Object.prototype's.
  const refs: Record<string, number> = Object.create(null);
  for (const match of content.matchAll(IDENTIFIER)) {
    const name = match[0];
    if (name.length > 60 || IGNORED_REFS.has(name)) continue;
    refs[name] = (refs[name] ?? 0) + 1;
  }
  return refs;
}

const JS_IMPORTS = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"\n]+)['"]/g,
  /\bimport\s*['"]([^'"\n]+)['"]/g,
  /\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];
const PYTHON_IMPORTS = [/^[ \t]*from[ \t]+([.\w]+)[ \t]+import\b/gm, /^[ \t]*import[ \t]+([\w.]+)/gm];
const JVM_IMPORTS = [/^[ \t]*import[ \t]+(?:static[ \t]+)?([\w.]+?)(?:\.\*)?;?[ \t]*$/gm];
const RUBY_IMPORTS = [/\brequire(?:_relative)?[ \t(]+['"]([^'"\n]+)['"]/g];
const C_IMPORTS = [/^[ \t]*#[ \t]*include[ \t]+"([^"\n]+)"/gm];
const GO_IMPORTS = [/\bimport\s+(?:[\w.]+\s+)?"([^"\n]+)"/g];
/** `use crate::walk::Walker;`, `use super::config;` (paths inside the crate; a grouped `use a::{b, c}` keeps its prefix). */
const RUST_IMPORTS = [/^[ \t]*(?:pub(?:\([\w ]+\))?[ \t]+)?use[ \t]+((?:crate|self|super)(?:::\w+)+)/gm];
/** `mod printer;` declares a module kept in its own file beside this one. */
const RUST_MOD = /^[ \t]*(?:pub(?:\([\w ]+\))?[ \t]+)?mod[ \t]+(\w+)[ \t]*;/gm;
/** `use Composer\Package\Loader;` (PSR-4: the namespace is the path), `require_once 'lib/x.php'`. */
const PHP_IMPORTS = [/^[ \t]*use[ \t]+\\?([A-Za-z_]\w*(?:\\\w+)+)/gm, /\b(?:require|include)(?:_once)?[ \t(]*['"]([^'"\n]+\.php)['"]/g];

const IMPORTS_BY_EXTENSION: Record<string, RegExp[]> = {
  py: PYTHON_IMPORTS,
  pyi: PYTHON_IMPORTS,
  java: JVM_IMPORTS,
  kt: JVM_IMPORTS,
  kts: JVM_IMPORTS,
  scala: JVM_IMPORTS,
  groovy: JVM_IMPORTS,
  rb: RUBY_IMPORTS,
  rake: RUBY_IMPORTS,
  c: C_IMPORTS,
  h: C_IMPORTS,
  cc: C_IMPORTS,
  cpp: C_IMPORTS,
  hpp: C_IMPORTS,
  cxx: C_IMPORTS,
  hh: C_IMPORTS,
  go: GO_IMPORTS,
  rs: RUST_IMPORTS,
  php: PHP_IMPORTS,
};

/** Module specifiers a file imports, by the import syntax of its language (JavaScript's by default). */
export function extractImports(content: string, path: string): string[] {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const found = new Set<string>();
  for (const pattern of IMPORTS_BY_EXTENSION[ext] ?? JS_IMPORTS) {
    for (const match of content.matchAll(pattern)) found.add(match[1]);
  }
  if (ext === "rs") for (const match of content.matchAll(RUST_MOD)) found.add(`self::${match[1]}`);
  if (ext === "go") {
    for (const block of content.matchAll(/\bimport\s*\(([^)]*)\)/g)) {
      for (const spec of block[1].matchAll(/"([^"\n]+)"/g)) found.add(spec[1]);
    }
  }
  return [...found].sort();
}

const TEXT_DEFINITION =
  /^[ \t]*(?:export[ \t]+)?(?:pub(?:\([a-z]+\))?[ \t]+)?(?:async[ \t]+)?(?:static[ \t]+)?(def|fn|func|function|class|struct|interface|trait|enum|type|module|sub|proc|object|impl)[ \t]+([A-Za-z_][A-Za-z0-9_]*)/gm;

/** Definitions by regex for languages without a grammar here. */
export function extractTextDefinitions(content: string): Definition[] {
  const defs: Definition[] = [];
  const lineStarts = lineStartOffsets(content);
  for (const match of content.matchAll(TEXT_DEFINITION)) {
    const line = lineOf(lineStarts, match.index);
    const kind = match[1] === "def" || match[1] === "fn" || match[1] === "func" || match[1] === "sub" || match[1] === "proc" ? "function" : match[1];
    defs.push({ name: match[2], kind, line, endLine: line, signature: signatureAt(content, lineStarts, line) });
  }
  return defs;
}

function lineStartOffsets(content: string): number[] {
  const starts = [0];
  for (let i = content.indexOf("\n"); i !== -1; i = content.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function signatureAt(content: string, lineStarts: number[], line: number): string {
  const start = lineStarts[line - 1] ?? 0;
  const end = lineStarts[line] ?? content.length;
  let text = content.slice(start, end).trim().replace(/\s*\{$/, "");
  if (text.length > 120) text = text.slice(0, 117) + "...";
  return text;
}

/** Values of a `const` that the function patterns already define as functions. */
const FUNCTION_VALUES = new Set(["arrow_function", "function_expression", "function", "generator_function"]);

/** `const x = require("x")` (possibly `.member` or awaited `import()`) is an import, not a definition of `x`. */
function isImport(valueText: string): boolean {
  return /^(?:await\s+)?(?:require|import)\s*\(\s*['"`][^'"`]*['"`]\s*\)(?:\.[\w$.]+)?$/.test(valueText.trim());
}

/** Source files beyond this size are indexed with the text fallback: parsing them costs more than they give. */
const MAX_PARSE_BYTES = 200_000;

/**
 * Definitions, references and imports of source files. Tree-sitter (web-tree-sitter 0.25 with the prebuilt
 * grammars of tree-sitter-wasms) for JavaScript, TypeScript/TSX, Python, Go, Java and Ruby; regexes otherwise
 * (Rust, PHP, C and C++ were measured with their grammars too, and ranked no better: bench/localize/README.md).
 */
export class TagExtractor {
  private readonly parser: Parser;

  private constructor(parser: Parser) {
    this.parser = parser;
  }

  static async create(): Promise<TagExtractor> {
    await initRuntime();
    return new TagExtractor(new Parser());
  }

  private grammar(spec: LanguageSpec): Promise<{ language: Language; query: Query }> {
    let entry = grammars.get(spec.name);
    if (!entry) {
      entry = Language.load(grammarPath(spec)).then((language) => ({ language, query: new Query(language, spec.query) }));
      grammars.set(spec.name, entry);
    }
    return entry;
  }

  async extract(path: string, content: string): Promise<FileTags> {
    const refs = extractRefs(content);
    const imports = extractImports(content, path);
    const spec = languageFor(path);
    if (!spec || content.length > MAX_PARSE_BYTES) {
      return { language: "text", defs: extractTextDefinitions(content), refs, imports };
    }
    const { language, query } = await this.grammar(spec);
    this.parser.setLanguage(language);
    const tree = this.parser.parse(content);
    if (!tree) return { language: "text", defs: extractTextDefinitions(content), refs, imports };
    const lineStarts = lineStartOffsets(content);
    const defs: Definition[] = [];
    const seen = new Set<string>();
    try {
      for (const match of query.matches(tree.rootNode)) {
        const definition = match.captures.find((c) => c.name.startsWith("definition."));
        const names = match.captures.filter((c) => c.name === "name");
        const name = names[names.length - 1];
        if (!definition || !name) continue;
        const value = match.captures.find((c) => c.name === "value");
        if (value && (FUNCTION_VALUES.has(value.node.type) || isImport(value.node.text))) continue;
        const line = definition.node.startPosition.row + 1;
        const key = `${name.node.text}:${line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        defs.push({
          name: name.node.text.replace(/^['"]|['"]$/g, ""),
          kind: definition.name.slice("definition.".length),
          line,
          endLine: definition.node.endPosition.row + 1,
          signature: signatureAt(content, lineStarts, line),
        });
      }
    } finally {
      tree.delete();
    }
    defs.sort((a, b) => a.line - b.line || a.name.localeCompare(b.name));
    return { language: spec.name, defs, refs, imports };
  }

  dispose(): void {
    this.parser.delete();
  }
}

let runtime: Promise<void> | undefined;
/** Compiled grammars and queries, shared by every extractor of the process (compiling a grammar takes 0.1–0.5 s). */
const grammars = new Map<string, Promise<{ language: Language; query: Query }>>();

function initRuntime(): Promise<void> {
  runtime ??= Parser.init({ locateFile: () => runtimeWasmPath() });
  return runtime;
}
