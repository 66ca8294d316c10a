import { describe, expect, it } from "vitest";
import { byName } from "../../src/name-order.js";

describe("byName", () => {
  it("sorts case aside, numbers by their value, then by character, as people read names", () => {
    const names = ["web-2", "Beta", "alpha", "web-10", "ALPHA", "a.b", "a-b", "a_b", "web-1"];
    expect([...names].sort(byName)).toEqual([
      "a-b",
      "a.b",
      "a_b",
      "ALPHA",
      "alpha",
      "Beta",
      "web-1",
      "web-2",
      "web-10",
    ]);
  });

  it("versions in names: 1.9 before 1.10, and numbers longer than a double holds", () => {
    expect(["tf_1.10.0", "tf_1.9.1", "tf_1.9.0"].sort(byName)).toEqual([
      "tf_1.9.0",
      "tf_1.9.1",
      "tf_1.10.0",
    ]);
    const big = ["n99999999999999999999", "n100000000000000000000", "n9"];
    expect(big.sort(byName)).toEqual(["n9", "n99999999999999999999", "n100000000000000000000"]);
  });

  it("is a total order: equal only for equal names", () => {
    expect(byName("x", "x")).toBe(0);
    expect(byName("X", "x")).toBe(-1);
    expect(byName("x", "X")).toBe(1);
    expect(byName("box01", "box1")).toBe(1);
    expect(byName("box1", "box01")).toBe(-1);
    expect(byName("box", "box1")).toBeLessThan(0);
  });
});
