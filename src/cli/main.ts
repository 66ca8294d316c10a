#!/usr/bin/env node
/**
 * The entry point stays this small on purpose: `--version` alone answers from package.json
 * without loading commander and the command table; everything else goes to run-cli.ts.
 */
import { endQuietlyOnClosedPipe } from "./closed-pipe.js";

endQuietlyOnClosedPipe();
const args = process.argv.slice(2);

if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const { toolVersion } = await import("../tool-version.js");
  process.stdout.write(`${toolVersion()}\n`);
} else {
  const { runCli } = await import("./run-cli.js");
  await runCli(process.argv);
}
