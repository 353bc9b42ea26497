import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { GO_QUERY, JAVASCRIPT_QUERY, JAVA_QUERY, PYTHON_QUERY, RUBY_QUERY, TYPESCRIPT_QUERY } from "./queries.js";

export interface LanguageSpec {
  name: string;
  /** File in tree-sitter-wasms/out/. */
  wasm: string;
  query: string;
}

const LANGUAGES: Record<string, LanguageSpec> = {
  javascript: { name: "javascript", wasm: "tree-sitter-javascript.wasm", query: JAVASCRIPT_QUERY },
  typescript: { name: "typescript", wasm: "tree-sitter-typescript.wasm", query: TYPESCRIPT_QUERY },
  tsx: { name: "tsx", wasm: "tree-sitter-tsx.wasm", query: TYPESCRIPT_QUERY },
  python: { name: "python", wasm: "tree-sitter-python.wasm", query: PYTHON_QUERY },
  go: { name: "go", wasm: "tree-sitter-go.wasm", query: GO_QUERY },
  java: { name: "java", wasm: "tree-sitter-java.wasm", query: JAVA_QUERY },
  ruby: { name: "ruby", wasm: "tree-sitter-ruby.wasm", query: RUBY_QUERY },
};

const BY_EXTENSION: Record<string, string> = {
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "tsx",
  py: "python",
  go: "go",
  java: "java",
  rb: "ruby",
  rake: "ruby",
};

/** The tree-sitter language for a path, or undefined for the plain-text fallback. */
export function languageFor(path: string): LanguageSpec | undefined {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const name = BY_EXTENSION[ext];
  return name ? LANGUAGES[name] : undefined;
}

export function allLanguages(): LanguageSpec[] {
  return Object.values(LANGUAGES);
}

const require = createRequire(import.meta.url);

export function grammarPath(spec: LanguageSpec): string {
  return join(dirname(require.resolve("tree-sitter-wasms/package.json")), "out", spec.wasm);
}

export function runtimeWasmPath(): string {
  return require.resolve("web-tree-sitter/tree-sitter.wasm");
}
