import type { Command } from "commander";
import type { ActionFactory } from "./program.js";

/** Options this area adds to `up`. */
export function addAccessUpOptions(command: Command): Command {
  return command;
}

/** The commands of this area. */
export function registerAccessCommands(_program: Command, _run: ActionFactory): void {}
