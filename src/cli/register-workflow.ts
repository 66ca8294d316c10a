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

/** Daily work with an environment: files in and out (`cp`). */
export function registerWorkflowCommands(program: Command, run: ActionFactory): void {
  program
    .command("cp <src> <dst>")
    .description(
      "copy files between the host and an environment: cp SRC NAME:DST | cp NAME:SRC DST",
    )
    .option("-L, --follow-link", "follow SRC when it is a symbolic link")
    .option("-q, --quiet", "no progress display")
    .option("--json", "print one JSON object")
    .addHelpText("after", CP_RULES)
    .action(run(() => import("./commands/cp.js")));
}
