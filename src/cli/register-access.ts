import type { Command } from "commander";
import type { ActionFactory } from "./program.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** Options this area adds to `up`. */
export function addAccessUpOptions(command: Command): Command {
  return command
    .option(
      "--ssh-key <path>",
      "public key to install for root (default: an ed25519 key generated for this environment)",
    )
    .option(
      "--password-stdin",
      "set root's password, read from stdin (never from the command line)",
    )
    .option("--no-ssh-config", "do not add a 'Host <name>.modelbox' entry to ~/.ssh/config")
    .option("--no-develop-mode", "do not turn on ModelBox developer mode (the editor)")
    .option(
      "--editor-allow <cidr>",
      "let this address or CIDR use the editor too (repeatable; the host is admitted already)",
      collect,
      [],
    );
}

/** The commands of this area. */
export function registerAccessCommands(program: Command, run: ActionFactory): void {
  program
    .command("passwd <name>")
    .description("set root's password in an environment (asks without echo, or --password-stdin)")
    .option("--password-stdin", "read the password from stdin")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/passwd.js")));

  program
    .command("ssh <name> [args...]")
    .description(
      "log in to an environment with the system ssh: modelbox-dev ssh NAME [ssh options] [-- CMD ARGS...]",
    )
    .passThroughOptions()
    .addHelpText(
      "after",
      `
OpenSSH options after NAME go to ssh (-L, -R, -D, -A, -N, -v, -o …); the environment's key,
host keys and port are added. --json among them prints an error as one JSON object. Examples:
  modelbox-dev ssh mybox -- nvidia-smi -L
  modelbox-dev ssh mybox -N -L 6006:127.0.0.1:6006     # TensorBoard; see also 'forward'
  modelbox-dev ssh mybox -A                             # your agent, for git inside`,
    )
    .action(run(() => import("./commands/ssh.js")));

  program
    .command("develop <name>")
    .description("ModelBox developer mode (the editor): turn it on (default), --status or --stop")
    .option("--status", "show whether the server runs and the editor answers")
    .option("--stop", "stop the ModelBox server")
    .option(
      "--editor-allow <cidr>",
      "let this address or CIDR use the editor too (repeatable)",
      collect,
      [],
    )
    .option("--timeout <seconds>", "how long to wait for the editor", "120")
    .option("--host-address <addr>", "host address to print in the editor URL")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/develop.js")));
}
