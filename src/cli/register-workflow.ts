import type { Command } from "commander";
import type { ActionFactory } from "./program.js";

const CP_RULES = `
Paths (as docker cp):
  NAME:PATH is a path in the environment (relative to /); anything else is a host path
  (write ./a:b for a host path with a colon). '-' is a tar stream on stdin or stdout.
  SRC is a file:       DST missing -> created as that file; DST/ missing -> error;
                       DST a file -> overwritten; DST a directory -> copied into it.
  SRC is a directory:  DST missing -> created with SRC's contents; DST a file -> error;
                       DST a directory -> SRC copied into it (SRC/. copies its contents).
  DST's parent directory must exist. Symbolic links in SRC are copied as links;
  -L follows SRC itself when it is one. Environments' tmpfs (/tmp, /run) and /proc,
  /sys, /dev are out of reach (copy through 'exec' with tar there).

Examples:
  modelbox-dev cp ./flowunit mybox:/root/           # a directory into /root
  modelbox-dev cp mybox:/root/modelbox-service/graph ./graph
  tar -cf - data | modelbox-dev cp - mybox:/root/
  modelbox-dev cp mybox:/root/logs - | tar -tvf -`;

const CODE_HELP = `
Uses the environment's ~/.ssh/config entry (Host NAME.modelbox, written by 'up'), so VS Code
logs in with the environment's key. Needs VS Code and its Remote - SSH extension
(ms-vscode-remote.remote-ssh). --print shows the command and the vscode:// URL instead.`;

const FORWARD_HELP = `
Runs 'ssh -N -L 127.0.0.1:LOCAL:127.0.0.1:REMOTE' with the environment's key until Ctrl-C
(exit status 130). Without PORT: the editor, on the port of the URL that 'up' printed (also for
an environment on a remote engine's loopback: ssh hops through that host). Examples:
  modelbox-dev forward mybox               # the editor, at the URL 'up' printed
  modelbox-dev forward mybox 6006          # TensorBoard on http://127.0.0.1:6006/
  modelbox-dev forward mybox 11104:1104    # the editor on http://127.0.0.1:11104/editor/`;

/** Daily work with an environment: files in and out, the IDE, port forwards. */
export function registerWorkflowCommands(program: Command, run: ActionFactory): void {
  program
    .command("cp <source> <destination>")
    .description("copy files between the host and an environment: cp SRC NAME:DST, cp NAME:SRC DST")
    .option("-L, --follow-link", "follow SRC when it is a symbolic link")
    .option("-q, --quiet", "no progress display")
    .option("--json", "print one JSON object")
    .addHelpText("after", CP_RULES)
    .action(run(() => import("./commands/cp.js")));

  program
    .command("code <name> [path]")
    .description("open a folder of an environment (default /root) in VS Code over Remote - SSH")
    .option("--print", "print the code command and the vscode:// URL instead of running it")
    .option("--json", "print one JSON object")
    .addHelpText("after", CODE_HELP)
    .action(run(() => import("./commands/code.js")));

  program
    .command("forward <name> [port]")
    .description(
      "forward a local port to one in the environment over SSH: PORT or LOCAL:REMOTE (default: the editor)",
    )
    .option("--timeout <seconds>", "how long ssh may take to listen", "30")
    .option("--json", "print one JSON object once the forward listens")
    .addHelpText("after", FORWARD_HELP)
    .action(run(() => import("./commands/forward.js")));
}
