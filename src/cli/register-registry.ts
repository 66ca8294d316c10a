import type { Command } from "commander";
import type { ActionFactory } from "./program.js";

/** Options this area adds to `up`. */
export function addRegistryUpOptions(command: Command): Command {
  return command;
}

/** The commands of this area. */
export function registerRegistryCommands(_program: Command, _run: ActionFactory): void {}
