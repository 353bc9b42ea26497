import { gridPoints, leaveOneSetOut, pointLabel } from "../../bench/localize/grid.js";

describe("gridPoints", () => {
  it("lists every combination in order", () => {
    expect(gridPoints({ a: [0, 1], b: [2, 3] })).toEqual([
      { a: 0, b: 2 },
      { a: 0, b: 3 },
      { a: 1, b: 2 },
      { a: 1, b: 3 },
    ]);
    expect(pointLabel({ a: 0, b: 2 })).toBe("a=0,b=2");
    expect(pointLabel({})).toBe("defaults");
  });

  it.each([[{ a: [] }], [{ a: ["x"] }], [{ a: 1 }]])("refuses %j with a message that shows the format", (grid) => {
    expect(() => gridPoints(grid as never)).toThrow(/must list one or more numbers, e\.g\./);
  });
});

describe("leaveOneSetOut", () => {
  it("chooses each set's point on the other sets only", () => {
    // Point 1 is best on x and y but worst on z; point 2 is best on z alone.
    const scores = [
      { x: 50, y: 50, z: 50 },
      { x: 60, y: 60, z: 40 },
      { x: 45, y: 45, z: 90 },
    ];
    expect(leaveOneSetOut(scores, 0)).toEqual([
      { set: "x", chosen: 2, reference: 50, score: 45 },
      { set: "y", chosen: 2, reference: 50, score: 45 },
      { set: "z", chosen: 1, reference: 50, score: 40 },
    ]);
  });

  it("keeps the first of equally good points", () => {
    expect(leaveOneSetOut([{ x: 1, y: 2 }, { x: 1, y: 2 }], 1).map((c) => c.chosen)).toEqual([0, 0]);
  });
});
