import { describe, expect, it } from "vitest";
import { formatUlimit, parseUlimit, parseUlimits } from "../../../src/plan/ulimits.js";
import { expectError } from "./errors.js";

describe("--ulimit as docker reads it", () => {
  it("NAME=SOFT[:HARD], -1 for unlimited, HARD defaulting to SOFT", () => {
    expect(parseUlimit("nofile=65536:65536")).toEqual({ name: "nofile", soft: 65536, hard: 65536 });
    expect(parseUlimit("core=-1")).toEqual({ name: "core", soft: -1, hard: -1 });
    expect(parseUlimit("nofile=1024:-1")).toEqual({ name: "nofile", soft: 1024, hard: -1 });
    expect(formatUlimit(parseUlimit("memlock=-1"))).toBe("memlock=-1:-1");
  });

  it("refuses unknown names, non-numbers, a soft limit above the hard one, and twice one name", () => {
    for (const bad of ["nofiles=1", "nofile", "=1", "nofile=x", "nofile=1:2:3", "nofile=-2"]) {
      expectError(() => parseUlimit(bad), "INVALID_OPTION");
    }
    expect(expectError(() => parseUlimit("nofile=10:5"), "INVALID_OPTION").message).toMatch(
      /exceeds the hard limit/,
    );
    expectError(() => parseUlimit("core=-1:5"), "INVALID_OPTION");
    expectError(() => parseUlimits(["core=1", "core=2"]), "INVALID_OPTION");
  });
});
