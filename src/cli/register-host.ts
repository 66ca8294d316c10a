import type { Command } from "commander";
import type { ActionFactory } from "./program.js";

/** Commands about the host itself. */
export function registerHostCommands(_program: Command, _run: ActionFactory): void {}
