import { describe, expect, it } from "vitest";
import { ModelboxDevError } from "../../../src/errors.js";
import { compareVersions, isVersionAtLeast, parseVersion } from "../../../src/catalog/index.js";

describe("compareVersions", () => {
  it.each([
    ["460.27.03", "450.80.02", 1],
    ["450.80.02", "460.27.03", -1],
    ["460.27.03", "460.27.3", 0],
    ["440.33", "440.33.01", -1],
    ["535.104.05", "460.27.03", 1],
    ["20.10.24+dfsg1", "19.03", 1],
    ["18.09.0-ce", "19.03", -1],
    ["19.03", "19.03.0", 0],
    ["28.0.0-rc.1", "28.0.0", 0],
    ["10.0", "9.9", 1],
    ["v1.41", "1.40", 1],
    ["24.1.RC2", "24.1", 0],
  ])("compares %s with %s as %i", (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it("is at least for equal and newer versions only", () => {
    expect(isVersionAtLeast("460.27.03", "460.27.03")).toBe(true);
    expect(isVersionAtLeast("460.32.03", "460.27.03")).toBe(true);
    expect(isVersionAtLeast("455.45.01", "460.27.03")).toBe(false);
  });

  it("parses the numeric core and rejects text that is not a version", () => {
    expect(parseVersion("20.10.24+dfsg1")).toEqual([20, 10, 24]);
    expect(parseVersion("unknown")).toBeUndefined();
    expect(() => compareVersions("n/a", "1.0")).toThrow(ModelboxDevError);
    expect(() => compareVersions("n/a", "1.0")).toThrow(/"n\/a" is not a dotted version/);
  });
});
