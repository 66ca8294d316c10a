import type { Command } from "commander";
import type { ActionFactory } from "./program.js";

/** Commands about the host itself, and the dashboard that serves it. */
export function registerHostCommands(program: Command, run: ActionFactory): void {
  program
    .command("doctor")
    .description("check this host for ModelBox environments: engine, GPUs, NPUs, ports, firewall")
    .option("--facts <file>", "check host facts from a JSON file instead of probing")
    .option("--json", "print the facts and the checks as one JSON object")
    .action(run(() => import("./commands/doctor.js")));

  program
    .command("dashboard")
    .description("serve a web dashboard for environments and this host (127.0.0.1 by default)")
    .option("--port <n>", "port to listen on (0: any free port)", "7104")
    .option(
      "--listen <addr>",
      "address to listen on; anything but loopback is reachable from other machines",
      "127.0.0.1",
    )
    .option("--open", "open the dashboard in the desktop's browser")
    .action(run(() => import("./commands/dashboard.js")));
}
