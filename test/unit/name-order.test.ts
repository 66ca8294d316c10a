import { describe, expect, it } from "vitest";
import { byName } from "../../src/name-order.js";

describe("byName", () => {
  it("sorts case aside, then by character, as people read names", () => {
    const names = ["web-2", "Beta", "alpha", "web-10", "ALPHA", "a.b", "a-b", "a_b"];
    expect([...names].sort(byName)).toEqual([
      "a-b",
      "a.b",
      "a_b",
      "ALPHA",
      "alpha",
      "Beta",
      "web-10",
      "web-2",
    ]);
  });
  it("is a total order: equal only for equal names", () => {
    expect(byName("x", "x")).toBe(0);
    expect(byName("X", "x")).toBe(-1);
    expect(byName("x", "X")).toBe(1);
  });
});
