import { posix } from "node:path";
import type { ModuleResolver } from "../module-resolver.js";
import type { IndexedFile } from "../repo-index.js";
import { isStopword } from "../text-terms.js";
import { addScore, mergeScores, type SignalScores } from "./signal.js";

/** What an issue names explicitly: paths, stack frames, imported modules, code identifiers, plain words. */
export interface IssueMentions {
  paths: string[];
  stackFrames: { path: string; line?: number }[];
  modules: string[];
  /** Identifiers written as code (backticks, code blocks, calls, camelCase/snake_case words) → weight. */
  identifiers: Map<string, number>;
  /** Every word of the text, lower-cased. */
  words: Set<string>;
}

const FILE_EXTENSION = "(?:m?[jt]sx?|c[jt]s|py|pyi|go|java|kt|scala|rb|php|rs|cs|c|h|cc|cpp|hpp|swift|vue|svelte|json|ya?ml|toml|md|sh|sql|css|scss|html)";
const PATH_LIKE = new RegExp(`(?:^|[\\s"'\`(\\[<:=,])((?:[\\w@.~-]+/)*[\\w@.-]+\\.${FILE_EXTENSION})(?::(\\d+))?(?::\\d+)?(?=$|[\\s"'\`)\\]>:,;.!?])`, "gm");
const SLASH_PATH = /(?:^|[\s"'`(\[])((?:[\w@.-]+\/){1,}[\w@.-]+)(?=$|[\s"'`)\],;:!?])/gm;
const STACK_FRAMES: RegExp[] = [
  // JavaScript: a file with an extension, or a script without one (`…/bin/lessc:485:25`, line and column).
  /\bat\s+(?:[^\s(]+\s+)?\(?((?:[A-Za-z]:)?(?:[^\s():]+\.\w+|[^\s():]*\/[\w-]+(?=:\d+:\d+))):(\d+)(?::\d+)?\)?/g,
  /File "([^"]+)", line (\d+)/g, // Python
  // Go (`/root/go/pkg/mod/github.com/spf13/cobra@v1.8.0/command.go:1041 +0x3a5`), Ruby (`from C:/gems/x/lib/site.rb:9:in`), others.
  /^\s*(?:from\s+)?((?:[A-Za-z]:)?(?:[\w.~@+-]*\/)*[\w.@+-]+\.(?:go|rb|rs|php|c|cpp|swift)):(\d+)/gm,
];
/**
 * A JVM frame names its class with the package (`at com.acme.io.Reader$1.read(Reader.java:42)`), which tells apart
 * same-named files of different packages. A class loader or module may come first (`app//`, `java.base@17/`).
 */
const JVM_FRAME = /\bat\s+(?:[\w.@$-]*\/+)*([\w$.<>]+)\(([\w$]+\.(?:java|kt|scala|groovy)):(\d+)\)/g;

/** `com.acme.io.Reader$1.read` with `Reader.java` → `com/acme/io/Reader.java`: the package as folders, then the file. */
function jvmFramePath(qualifiedMethod: string, file: string): string {
  const packageSegments = qualifiedMethod.split(".").slice(0, -2);
  return [...packageSegments, file].join("/");
}
const IMPORTS_IN_TEXT: RegExp[] = [
  /\bfrom\s+['"]([^'"\n]+)['"]/g,
  /\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
  /\bimport\s+['"]([^'"\n]+)['"]/g,
  /^\s*from\s+([\w.]+)\s+import\b/gm,
  /^\s*import\s+([\w.]+)\s*$/gm,
  /^\s*import\s+(?:static\s+)?([\w.]+);/gm,
  /^\s*require(?:_relative)?\s+['"]([^'"\n]+)['"]/gm, // Ruby
];

/** Parse an issue for explicit mentions; pure. */
export function parseMentions(text: string): IssueMentions {
  const paths = new Set<string>();
  const stackFrames: { path: string; line?: number }[] = [];
  const modules = new Set<string>();
  const identifiers = new Map<string, number>();
  const bump = (name: string, weight: number) => {
    if (name.length < 2 || name.length > 80 || isStopword(name)) return;
    identifiers.set(name, Math.max(identifiers.get(name) ?? 0, weight));
  };

  for (const pattern of STACK_FRAMES) {
    for (const m of text.matchAll(pattern)) {
      if (/^https?:/.test(m[1])) continue;
      stackFrames.push({ path: m[1], line: Number(m[2]) });
    }
  }
  for (const m of text.matchAll(JVM_FRAME)) stackFrames.push({ path: jvmFramePath(m[1], m[2]), line: Number(m[3]) });
  // Links to files on a forge: …/blob/<ref>/<path>#L10 or …/tree/<ref>/<path>.
  for (const m of text.matchAll(/https?:\/\/[^\s/]+\/[^\s/]+\/[^\s/]+\/(?:-\/)?(?:blob|tree)\/[^\s/]+\/([^\s#?)\]>]+)/g)) {
    try {
      paths.add(decodeURIComponent(m[1]));
    } catch {
      paths.add(m[1]);
    }
  }
  for (const m of text.matchAll(PATH_LIKE)) {
    if (!/^https?:|^\d/.test(m[1]) && !/^[\d.]+$/.test(m[1].replace(/\.\w+$/, ""))) paths.add(m[1].replace(/^\.\//, ""));
  }
  for (const m of text.matchAll(SLASH_PATH)) {
    const candidate = m[1].replace(/[.]+$/, "");
    if (/^(https?|www)\b/.test(candidate) || candidate.includes("//") || /^\d/.test(candidate)) continue;
    paths.add(candidate.replace(/^\.\//, ""));
  }
  for (const pattern of IMPORTS_IN_TEXT) for (const m of text.matchAll(pattern)) modules.add(m[1]);

  const code: string[] = [];
  for (const m of text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)) code.push(m[1]);
  for (const m of text.matchAll(/`([^`\n]+)`/g)) code.push(m[1]);
  for (const snippet of code) {
    for (const m of snippet.matchAll(/[A-Za-z_$][\w$]*/g)) bump(m[0], 1);
  }
  const prose = text.replace(/```[\s\S]*?```/g, " ");
  for (const m of prose.matchAll(/\b([A-Za-z_$][\w$]*)\s*\(/g)) bump(m[1], 1);
  for (const m of prose.matchAll(/\.([A-Za-z_$][\w$]{2,})\b/g)) if (!/^(js|ts|py|com|org|io|md|html)$/.test(m[1])) bump(m[1], 0.8);
  for (const m of prose.matchAll(/\b[A-Za-z_$][\w$]*\b/g)) {
    const word = m[0];
    const compound = /[a-z][A-Z]/.test(word) || /[A-Za-z]_[A-Za-z]/.test(word) || /^[A-Z][a-z]+[A-Z]/.test(word);
    if (compound) bump(word, 0.8);
  }
  const words = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z][\w-]*/g)) words.add(m[0].toLowerCase());
  // `node_modules/.bin/terser` is how a command was run, not a pointer to a file of the project.
  const filePaths = [...paths].filter((path) => !/(^|\/)node_modules\/\.bin\//.test(path)).sort();
  return { paths: filePaths, stackFrames, modules: [...modules].sort(), identifiers, words };
}

/** Files whose path ends with the mentioned one, trying shorter tails for absolute or foreign prefixes. */
export function matchPath(mention: string, paths: readonly string[]): string[] {
  const segments = mention.replace(/\\/g, "/").replace(/^\/+/, "").split("/").filter((s) => s && s !== "." && s !== "..");
  for (let i = 0; i < segments.length; i++) {
    const tail = segments.slice(i).join("/");
    const matches = paths.filter((p) => p === tail || p.endsWith("/" + tail));
    if (matches.length > 0) return matches;
  }
  return [];
}

/** Names a file goes by: its base name without extension, or its folder for index-like files. */
function fileNames(path: string): string[] {
  const base = posix.basename(path).replace(/\..*$/, "");
  const names = [base];
  if (/^(index|__init__|mod|main)$/.test(base) && path.includes("/")) names.push(posix.basename(posix.dirname(path)));
  return names;
}

/**
 * Score files the issue names: paths and stack frames (strongest), imported modules, identifiers the file
 * defines (weighted by how few files define them), and file or folder names written in the text.
 */
export function mentionScores(files: readonly IndexedFile[], mentions: IssueMentions, resolver: ModuleResolver): SignalScores {
  return mergeScores(pathMentionScores(files, mentions, resolver), nameMentionScores(files, mentions));
}

/** Files the issue points at: stack frames, paths and imported modules. */
export function pathMentionScores(files: readonly IndexedFile[], mentions: IssueMentions, resolver: ModuleResolver): SignalScores {
  const scores: SignalScores = new Map();
  const paths = files.map((f) => f.path);

  mentions.stackFrames.forEach((frame, i) => {
    const matches = matchPath(frame.path, paths);
    for (const path of matches) addScore(scores, path, 3 / (1 + 0.3 * i) / matches.length, `stack frame ${frame.path}:${frame.line ?? ""}`);
  });
  for (const mention of mentions.paths) {
    const matches = matchPath(mention, paths);
    if (matches.length > 0 && matches.length <= 5) for (const path of matches) addScore(scores, path, 3 / matches.length, `path ${mention}`);
  }
  for (const module of mentions.modules) {
    const matches = resolver.resolve("", module);
    if (matches.length > 0 && matches.length <= 5) for (const path of matches) addScore(scores, path, 2 / matches.length, `imports ${module}`);
  }
  return scores;
}

/**
 * Files whose names the issue uses: identifiers a file defines (weighted by how few files define them) and
 * file or folder names. Weaker evidence than a path: a compiler's issue quotes the user's program, whose names
 * the compiler defines too.
 */
export function nameMentionScores(files: readonly IndexedFile[], mentions: IssueMentions): SignalScores {
  const scores: SignalScores = new Map();
  const paths = files.map((f) => f.path);
  const definedIn = new Map<string, string[]>();
  for (const file of files) {
    for (const name of new Set(file.defs.map((d) => d.name))) {
      const list = definedIn.get(name);
      if (list) list.push(file.path);
      else definedIn.set(name, [file.path]);
    }
  }
  for (const [name, weight] of mentions.identifiers) {
    if (name.length < 3) continue;
    const owners = definedIn.get(name);
    if (!owners || owners.length > 5) continue;
    for (const path of owners) addScore(scores, path, weight / owners.length, `defines ${name}`);
  }

  const byName = new Map<string, string[]>();
  for (const path of paths) {
    for (const name of fileNames(path)) {
      const key = name.toLowerCase();
      const list = byName.get(key);
      if (list) list.push(path);
      else byName.set(key, [path]);
    }
  }
  const codeWords = new Set([...mentions.identifiers.keys()].map((k) => k.toLowerCase()));
  for (const [name, owners] of byName) {
    if (/^(index|__init__|mod|main|src|lib|test|tests|utils?|types?|app|config|readme)$/.test(name) || owners.length > 10) continue;
    const inCode = codeWords.has(name);
    // In prose only compound names count (`no-unused-vars`, `date_utils`, `v8`): a plain word that is also a
    // file name ("options", "parser", "comments") is how people describe any issue, not a pointer to the file.
    if (!inCode && (name.length < 4 || !/[-_\d]/.test(name) || !mentions.words.has(name) || isStopword(name))) continue;
    // Two-letter names (`nn`, `id`, `os`) collide with abbreviations in any text; they count for less.
    const weight = name.length < 3 ? 0.5 : inCode ? 1 : 0.7;
    for (const path of owners) addScore(scores, path, weight / owners.length, `named ${name}`);
  }
  return scores;
}
