import type { ModuleResolver } from "../module-resolver.js";
import type { IndexedFile } from "../repo-index.js";
import type { SignalScores } from "./signal.js";

/** A weighted directed graph of files: an edge R→D when R uses something D defines, or imports D. */
export interface CodeGraph {
  nodes: string[];
  /** Outgoing edges per node index: target index → weight. */
  edges: Map<number, number>[];
}

/**
 * Build the graph as aider's repo map does: for each identifier defined in D and referenced in R, an edge R→D
 * weighted sqrt(references), times 10 for identifiers the issue mentions, times 10 for long compound names,
 * times 0.1 for private (`_x`) names and for names defined in more than five files. Resolved imports add an
 * edge of weight 1 each.
 */
export function buildCodeGraph(files: readonly IndexedFile[], resolver: ModuleResolver, mentioned: ReadonlySet<string> = new Set()): CodeGraph {
  const nodes = files.map((f) => f.path);
  const indexOf = new Map(nodes.map((p, i) => [p, i]));
  const edges: Map<number, number>[] = nodes.map(() => new Map());
  const add = (from: number, to: number, weight: number) => {
    if (from === to || weight <= 0) return;
    edges[from].set(to, (edges[from].get(to) ?? 0) + weight);
  };

  const definers = new Map<string, number[]>();
  files.forEach((file, i) => {
    for (const name of new Set(file.defs.map((d) => d.name))) {
      if (name.length < 3) continue;
      const list = definers.get(name);
      if (list) list.push(i);
      else definers.set(name, [i]);
    }
  });
  const multiplier = (name: string, definedIn: number): number => {
    let mul = 1;
    if (mentioned.has(name)) mul *= 10;
    if (name.length >= 8 && (/[a-z][A-Z]/.test(name) || /[A-Za-z][_-][A-Za-z]/.test(name))) mul *= 10;
    if (name.startsWith("_")) mul *= 0.1;
    if (definedIn > 5) mul *= 0.1;
    return mul;
  };

  files.forEach((file, from) => {
    for (const [name, count] of Object.entries(file.refs)) {
      const targets = definers.get(name);
      if (!targets || targets.length > 20) continue;
      const weight = (multiplier(name, targets.length) * Math.sqrt(count)) / targets.length;
      for (const to of targets) add(from, to, weight);
    }
    for (const specifier of file.imports) {
      for (const target of resolver.resolve(file.path, specifier)) {
        const to = indexOf.get(target);
        if (to !== undefined) add(from, to, 1);
      }
    }
  });
  return { nodes, edges };
}

/**
 * Personalised PageRank by power iteration (damping 0.85). Teleports and dangling mass go to the seeds,
 * so rank flows from the files the other signals found to the files those depend on.
 */
export function personalizedPageRank(graph: CodeGraph, seeds: ReadonlyMap<string, number>, iterations = 40, damping = 0.85): Map<string, number> {
  const n = graph.nodes.length;
  const result = new Map<string, number>();
  if (n === 0) return result;
  const teleport = new Float64Array(n);
  let seedTotal = 0;
  graph.nodes.forEach((path, i) => {
    const weight = seeds.get(path) ?? 0;
    teleport[i] = weight;
    seedTotal += weight;
  });
  if (seedTotal <= 0) teleport.fill(1 / n);
  else for (let i = 0; i < n; i++) teleport[i] /= seedTotal;
  const outTotals = graph.edges.map((out) => [...out.values()].reduce((a, b) => a + b, 0));
  let rank = Float64Array.from(teleport);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (outTotals[i] === 0) {
        dangling += rank[i];
        continue;
      }
      const share = rank[i] / outTotals[i];
      for (const [to, weight] of graph.edges[i]) next[to] += damping * share * weight;
    }
    for (let i = 0; i < n; i++) next[i] += (1 - damping + damping * dangling) * teleport[i];
    rank = next;
  }
  graph.nodes.forEach((path, i) => result.set(path, rank[i]));
  return result;
}

/** PageRank mass that arrives at a file beyond what it was seeded with, as a signal. */
export function codeGraphScores(graph: CodeGraph, seeds: ReadonlyMap<string, number>): SignalScores {
  const rank = personalizedPageRank(graph, seeds);
  const scores: SignalScores = new Map();
  const indexOf = new Map(graph.nodes.map((p, i) => [p, i]));
  const incoming = new Map<number, { from: number; weight: number }[]>();
  graph.edges.forEach((out, from) => {
    for (const [to, weight] of out) {
      if (!seeds.has(graph.nodes[from])) continue;
      const list = incoming.get(to);
      if (list) list.push({ from, weight });
      else incoming.set(to, [{ from, weight }]);
    }
  });
  for (const [path, value] of rank) {
    if (value <= 0) continue;
    const sources = (incoming.get(indexOf.get(path)!) ?? []).sort((a, b) => b.weight - a.weight).slice(0, 2);
    scores.set(path, { score: value, details: sources.map((s) => `used by ${graph.nodes[s.from]}`) });
  }
  return scores;
}
