/** Which engine GETs a command line begins before its command's code loads. */
import { describe, expect, it } from "vitest";
import { EARLY_COMMANDS, asksEarly } from "../../../src/cli/early-commands.js";
import { firstAsks } from "../../../src/cli/early-requests.js";
import { containerListPath } from "../../../src/engine/docker/early-answers.js";

describe("firstAsks", () => {
  it("ls: the environments by their label, stopped ones too (ls filters them itself)", () => {
    const path = containerListPath({ all: true, labels: ["io.modelbox-dev.managed=true"] });
    expect(firstAsks(["ls"])).toEqual([path]);
    expect(firstAsks(["ls", "--json", "--mine"])).toEqual([path]);
  });

  it("nothing for ls --all-contexts (other engines), --help, other commands, or a global option first", () => {
    expect(firstAsks(["ls", "--all-contexts"])).toEqual([]);
    expect(firstAsks(["ls", "--help"])).toEqual([]);
    expect(firstAsks(["ls", "-h"])).toEqual([]);
    expect(firstAsks(["rm", "dev"])).toEqual([]);
    // up's first GETs are not asked early: that gained nothing (early-requests.ts says why).
    expect(firstAsks(["up", "dev"])).toEqual([]);
    expect(firstAsks(["--host", "tcp://127.0.0.2:2375", "ls"])).toEqual([]);
    expect(firstAsks(["-c", "other", "ls"])).toEqual([]);
    expect(firstAsks([])).toEqual([]);
    // Names of Object's own properties are not commands.
    expect(firstAsks(["constructor"])).toEqual([]);
    expect(firstAsks(["__proto__"])).toEqual([]);
  });
});

describe("asksEarly (the entry point loads the early requests for these commands only)", () => {
  it("is true for each command that asks something first, and for no other", () => {
    for (const command of EARLY_COMMANDS) {
      expect(asksEarly(command)).toBe(true);
      expect(firstAsks([command]).length).toBeGreaterThan(0);
    }
    for (const command of ["up", "rm", "constructor", "__proto__", undefined]) {
      expect(asksEarly(command)).toBe(false);
    }
  });
});
