import type { Command, Option } from "commander";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../../src/cli/program.js";
import { ModelboxDevError } from "../../../src/errors.js";

/**
 * Every option that takes a value and every argument of every command, walked from the command
 * table itself: an empty value and a value with a control character are refused before the
 * command's action runs (the actions are replaced by one that fails the test).
 */

interface Case {
  path: string[];
  /** The required arguments, filled with a valid value. */
  args: string[];
  option?: Option;
  /** The index of the argument under test, when not an option. */
  argument?: number;
}

const REQUIRED_OPTION_VALUES: Record<string, string> = { "--output": "/tmp/images.tar" };
const PASSED_THROUGH = new Set(["command", "args"]);

function leaves(
  command: Command,
  path: string[] = [],
): Array<{ command: Command; path: string[] }> {
  const here = command.commands.length === 0 ? [{ command, path }] : [];
  return [...here, ...command.commands.flatMap((c) => leaves(c, [...path, c.name()]))];
}

function programWithoutActions(): { program: Command; ran: string[] } {
  const ran: string[] = [];
  const program = buildProgram(() => undefined, true);
  for (const { command, path } of leaves(program)) {
    command.action(() => {
      ran.push(path.join(" "));
    });
  }
  return { program, ran };
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const { command, path } of leaves(buildProgram(() => undefined, true))) {
    if (path.length === 0) continue;
    const args = command.registeredArguments
      .filter((a) => a.required)
      .map((a) => (a.variadic ? "mybox" : "mybox"));
    for (const option of command.options) {
      if (!option.required && !option.optional) continue; // a switch takes no value
      out.push({ path, args, option });
    }
    command.registeredArguments.forEach((a, i) => {
      if (!PASSED_THROUGH.has(a.name())) out.push({ path, args, argument: i });
    });
  }
  return out;
}

function commandLine(c: Case, value: string): string[] {
  const required = leaves(buildProgram(() => undefined, true))
    .find((l) => l.path.join(" ") === c.path.join(" "))
    ?.command.options.filter((o) => o.mandatory && o !== c.option)
    .flatMap((o) => [o.long ?? "", REQUIRED_OPTION_VALUES[o.long ?? ""] ?? "x"]);
  const args = [...c.args];
  if (c.argument !== undefined) args[c.argument] = value;
  const option = c.option ? [`${c.option.long}=${value}`] : [];
  return ["node", "modelbox-dev", ...c.path, ...args, ...(required ?? []), ...option];
}

async function refusal(argv: string[]): Promise<{ error: unknown; ran: string[] }> {
  const { program, ran } = programWithoutActions();
  try {
    await program.parseAsync(argv);
    return { error: undefined, ran };
  } catch (error) {
    return { error, ran };
  }
}

const all = cases();
const label = (c: Case) =>
  `${c.path.join(" ")} ${c.option ? c.option.long : `argument ${c.argument ?? ""}`}`;

describe("every option and argument of every command", () => {
  it("the walk finds them (options of up, image save's, arguments)", () => {
    const labels = all.map(label);
    for (const expected of [
      "up --image",
      "up --bind",
      "up --gpus",
      "up --registry",
      "logs --tail",
      "dashboard --port",
      "forward argument 1",
      "image save --output",
      "rm argument 0",
    ]) {
      expect(labels).toContain(expected);
    }
    expect(all.length).toBeGreaterThan(120);
  });

  it.each(all.map((c) => [label(c), c] as const))(
    "%s: an empty value is refused with a hint, before the command runs",
    async (_, c) => {
      const { error, ran } = await refusal(commandLine(c, ""));
      expect(ran).toEqual([]);
      // A choice list (e.g. --pull) refuses it in commander already: an error as well.
      if (error instanceof CommanderError) return;
      expect(error).toBeInstanceOf(ModelboxDevError);
      const e = error as ModelboxDevError;
      expect(["INVALID_OPTION", "INVALID_NAME"]).toContain(e.code);
      expect(e.message).toMatch(/empty/);
      expect(e.hint?.trim()).toBeTruthy();
    },
  );

  it.each(
    all.flatMap((c) =>
      ["a\nb", "a\u001b[2Jb", "a\u0000b", "a\u007fb"].map(
        (value) => [`${label(c)} ${JSON.stringify(value)}`, c, value] as const,
      ),
    ),
  )("%s: a control character is refused with a hint", async (_, c, value) => {
    const { error, ran } = await refusal(commandLine(c, value));
    expect(ran).toEqual([]);
    if (error instanceof CommanderError) return;
    expect(error).toBeInstanceOf(ModelboxDevError);
    expect((error as ModelboxDevError).message).toMatch(/newline|escape|NUL|DEL|control character/);
    expect((error as ModelboxDevError).hint?.trim()).toBeTruthy();
  });

  it.each(["--host", "--context"])("the engine flag %s, given before any command", async (flag) => {
    for (const value of ["", "unix:///x\n"]) {
      const { error, ran } = await refusal(["node", "modelbox-dev", `${flag}=${value}`, "ls"]);
      expect(ran).toEqual([]);
      expect((error as ModelboxDevError).code).toBe("INVALID_OPTION");
    }
  });

  it("valid values pass through to the command", async () => {
    const { error, ran } = await refusal([
      "node",
      "modelbox-dev",
      "up",
      "mybox",
      "--image",
      "modelbox/x:1",
      "--mount",
      "/data:/data",
    ]);
    expect(error).toBeUndefined();
    expect(ran).toEqual(["up"]);
  });

  it("what exec and ssh hand on may be empty or hold a newline, as in a shell", async () => {
    for (const argv of [
      ["exec", "mybox", "--", "sh", "-c", ""],
      ["exec", "mybox", "--", "sh", "-c", "echo a\necho b"],
      ["ssh", "mybox", "--", "printf", ""],
    ]) {
      const { error, ran } = await refusal(["node", "modelbox-dev", ...argv]);
      expect(error).toBeUndefined();
      expect(ran).toEqual([argv[0]]);
    }
  });
});
