import { describe, expect, it } from "vitest";
import { buildProgram } from "../../../src/cli/program.js";

/** The long flags a command's --help lists. */
function helpFlags(command: string): string[] {
  const program = buildProgram(() => undefined);
  const sub = program.commands.find((c) => c.name() === command);
  if (!sub) throw new Error(`no command ${command}`);
  const help = sub.helpInformation();
  return [...new Set([...help.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1] ?? ""))];
}

describe("plan and script take every option up takes", () => {
  const upFlags = helpFlags("up");

  it("up's --help lists its flags", () => {
    for (const flag of ["--image", "--pull", "--timeout", "--registry", "--password-stdin"]) {
      expect(upFlags).toContain(flag);
    }
    expect(upFlags.length).toBeGreaterThan(25);
  });

  for (const command of ["plan", "script"]) {
    it(`${command} accepts each of them`, () => {
      const flags = helpFlags(command);
      expect(upFlags.filter((f) => !flags.includes(f))).toEqual([]);
    });
  }
});
