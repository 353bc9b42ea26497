/**
 * Weight grids for `quick --grid`, and the honest way to read them: leave one set out. A weight chosen on all
 * the development sets and scored on the same sets flatters itself; choosing it on the other sets and scoring
 * it on the one left out estimates what it does on a repository nobody tuned on.
 */

export type WeightPoint = Record<string, number>;

/** Every combination of the listed values: {"a":[0,1],"b":[2]} → [{a:0,b:2},{a:1,b:2}]. */
export function gridPoints(grid: Record<string, readonly number[]>): WeightPoint[] {
  let points: WeightPoint[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "number" || !Number.isFinite(v))) {
      throw new Error(`--grid: "${name}" must list one or more numbers, e.g. {"${name}":[0,0.5,1]}`);
    }
    points = points.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  }
  return points;
}

export function pointLabel(point: WeightPoint): string {
  return Object.entries(point).map(([name, value]) => `${name}=${value}`).join(",") || "defaults";
}

export interface HeldOutChoice {
  set: string;
  /** The point with the best mean score over the other sets (the first of equals, in grid order). */
  chosen: number;
  reference: number;
  score: number;
}

/**
 * scores[point][set]: a set's mean score (R@5) under a point. For each set, the point that does best on the
 * others (mean over sets, each set counting once), and what it scores on the set left out against `reference`.
 */
export function leaveOneSetOut(scores: readonly Record<string, number>[], reference: number): HeldOutChoice[] {
  const sets = Object.keys(scores[reference] ?? {});
  return sets.map((set) => {
    const others = sets.filter((s) => s !== set);
    const meanOfOthers = (point: Record<string, number>) => others.reduce((sum, s) => sum + point[s], 0) / Math.max(1, others.length);
    let chosen = 0;
    scores.forEach((point, index) => {
      if (meanOfOthers(point) > meanOfOthers(scores[chosen]) + 1e-9) chosen = index;
    });
    return { set, chosen, reference: scores[reference][set], score: scores[chosen][set] };
  });
}
