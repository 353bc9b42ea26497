import type { IndexedFile } from "../repo-index.js";
import { termsOf } from "../text-terms.js";
import { addScore, type SignalScores } from "./signal.js";

/**
 * Okapi BM25 over term-frequency documents. Hand-written (forty lines) because the npm BM25 packages tokenise
 * text themselves and cannot take the identifier-aware terms, path boosts and function chunks used here.
 */
export class Bm25 {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[];
  private readonly averageLength: number;
  private readonly k1: number;
  private readonly b: number;
  readonly ids: string[];

  constructor(docs: readonly { id: string; terms: Record<string, number> | Map<string, number> }[], k1 = 1.2, b = 0.75) {
    this.k1 = k1;
    this.b = b;
    this.ids = docs.map((d) => d.id);
    this.lengths = docs.map((doc, index) => {
      let length = 0;
      const entries = doc.terms instanceof Map ? doc.terms.entries() : Object.entries(doc.terms);
      for (const [term, tf] of entries) {
        length += tf;
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ doc: index, tf });
      }
      return length;
    });
    this.averageLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    const n = this.ids.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Score every document that shares a term with the query; query term frequencies are damped (1 + ln tf). */
  score(query: ReadonlyMap<string, number>): Map<number, number> {
    const scores = new Map<number, number>();
    for (const [term, qtf] of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const weight = this.idf(term) * (1 + Math.log(qtf));
      for (const { doc, tf } of list) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]) / (this.averageLength || 1));
        scores.set(doc, (scores.get(doc) ?? 0) + (weight * (tf * (this.k1 + 1))) / norm);
      }
    }
    return scores;
  }
}

/** The issue text as a BM25 query; identifiers written as code (backticks, code blocks) count twice. */
export function queryTerms(task: string): Map<string, number> {
  const query = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const term of termsOf(text)) query.set(term, (query.get(term) ?? 0) + weight);
  };
  add(task, 1);
  for (const match of task.matchAll(/`([^`\n]{1,200})`/g)) add(match[1], 1);
  return query;
}

/** How much a path counts against the content, in term occurrences. */
const PATH_BOOST = 3;

function fileDocument(file: IndexedFile): Map<string, number> {
  const terms = new Map(Object.entries(file.terms));
  for (const term of file.pathTerms) terms.set(term, (terms.get(term) ?? 0) + PATH_BOOST);
  return terms;
}

/**
 * BM25 at file level: path (boosted), identifiers split into words, comments and strings. The index is built
 * once and searched with each query given (the whole issue, then its title).
 */
export function bm25FileSearch(files: readonly IndexedFile[]): (task: string) => SignalScores {
  const index = new Bm25(files.map((f) => ({ id: f.path, terms: fileDocument(f) })));
  return (task) => {
    const query = queryTerms(task);
    const scores: SignalScores = new Map();
    for (const [doc, value] of index.score(query)) addScore(scores, index.ids[doc], value, topTerms(query, files[doc], index));
    return scores;
  };
}

function topTerms(query: ReadonlyMap<string, number>, file: IndexedFile, index: Bm25): string {
  const hits = [...query.keys()]
    .filter((t) => Object.hasOwn(file.terms, t) || file.pathTerms.includes(t))
    .sort((a, b) => index.idf(b) - index.idf(a) || a.localeCompare(b))
    .slice(0, 4);
  return `terms: ${hits.join(", ")}`;
}

/** BM25 at function level (tree-sitter ranges, or line windows), each file scored by its best chunk. */
export function bm25FunctionScores(files: readonly IndexedFile[], task: string): SignalScores {
  const docs: { id: string; terms: Record<string, number> }[] = [];
  const owners: { path: string; name: string }[] = [];
  for (const file of files) {
    for (const chunk of file.chunks) {
      docs.push({ id: `${file.path}#${chunk.name}`, terms: chunk.terms });
      owners.push({ path: file.path, name: chunk.name });
    }
  }
  const scores: SignalScores = new Map();
  if (docs.length === 0) return scores;
  const index = new Bm25(docs);
  const best = new Map<string, { score: number; name: string }>();
  for (const [doc, value] of index.score(queryTerms(task))) {
    const owner = owners[doc];
    const current = best.get(owner.path);
    if (!current || value > current.score || (value === current.score && owner.name < current.name)) {
      best.set(owner.path, { score: value, name: owner.name });
    }
  }
  for (const [path, { score, name }] of best) scores.set(path, { score, details: [`best match: ${name}`] });
  return scores;
}
