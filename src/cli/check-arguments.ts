import type { Command } from "commander";
import { checkText } from "../input-text.js";

/**
 * Arguments handed on untouched to a command in the environment or to ssh: these may be empty
 * (`sh -c ""`) and may hold newlines (a script), as in any shell.
 */
const PASSED_THROUGH = new Set(["command", "args"]);

/** `--ssh-port` from the option's attribute name `sshPort`. */
function flagOf(command: Command, key: string): string {
  const option = command.options.find((o) => o.attributeName() === key);
  return option?.long ?? `--${key}`;
}

/**
 * Every text the command line gives a command, checked by the same rules before the command
 * runs: an empty value is an error (never "not given"), and no value has control characters.
 * One check for every option and argument, so no option can be left out of it.
 */
export function checkCommandLine(command: Command): void {
  for (const [key, value] of Object.entries(command.opts())) {
    const flag = flagOf(command, key);
    for (const text of typeof value === "string" ? [value] : Array.isArray(value) ? value : []) {
      if (typeof text === "string") checkText(text, flag);
    }
  }
  command.registeredArguments.forEach((argument, i) => {
    const name = argument.name();
    if (PASSED_THROUGH.has(name)) return;
    const value: unknown = command.processedArgs[i];
    const texts = Array.isArray(value) ? value : value === undefined ? [] : [value];
    for (const text of texts) {
      if (typeof text !== "string") continue;
      const isName = name === "name";
      checkText(text, isName ? "The environment name" : name.toUpperCase(), {
        code: isName ? "INVALID_NAME" : "INVALID_OPTION",
        required: argument.required || !isName,
        ...(isName ? { example: "mybox" } : {}),
      });
    }
  });
}
