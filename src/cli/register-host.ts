import type { Command } from "commander";
import type { ActionFactory } from "./program.js";

/** Commands about the host itself. */
export function registerHostCommands(program: Command, run: ActionFactory): void {
  program
    .command("doctor")
    .description("check this host for ModelBox environments: engine, GPUs, NPUs, ports, firewall")
    .option("--facts <file>", "check host facts from a JSON file instead of probing")
    .option("--json", "print the facts and the checks as one JSON object")
    .action(run(() => import("./commands/doctor.js")));
}
