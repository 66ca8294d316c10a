#!/usr/bin/env -S node --
/**
 * `node --` before the script: Node 20 otherwise reads `--env-file` anywhere on the command
 * line as its own option (exit 9 for a missing file, and the file's variables, DOCKER_HOST
 * among them, loaded into this process). `env -S` is in coreutils since 8.30, older than any
 * glibc Node 20 runs on.
 *
 * The entry point stays this small on purpose: `--version` alone answers from package.json
 * without loading commander and the command table; everything else goes to run-cli.ts, after
 * the engine has been asked what the command will need first (early-requests.ts): it answers
 * while the command's code loads. It is bundled as CommonJS (dist/bin/main.cjs, see
 * scripts/bundle-cli.mjs), hence no top-level await. The package's bin starts it through
 * /bin/sh, which sets NODE_EXTRA_CA_CERTS aside until a TLS connection needs it
 * (extra-ca-certs.ts), then runs `node --` as the line above does.
 */
import { takeDeferredCaCerts } from "../extra-ca-certs.js";
import { endQuietlyOnClosedPipe } from "./closed-pipe.js";
import { asksEarly } from "./early-commands.js";

takeDeferredCaCerts();
endQuietlyOnClosedPipe();
// run-cli.cjs is minified: stack traces asked for name tsc's output instead (its map beside it).
if (process.env.MODELBOX_DEV_DEBUG) process.setSourceMapsEnabled(true);
void main(process.argv.slice(2));

async function main(args: string[]): Promise<void> {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    const { toolVersion } = await import("../tool-version.js");
    process.stdout.write(`${toolVersion()}\n`);
    return;
  }
  // Only a command that asks early loads what asks (it reads the engine's settings: time that
  // `up` would spend before its create).
  if (asksEarly(args[0])) {
    const { askEarlyForCommand, earlyRequestsWritten } = await import("./early-requests.js");
    askEarlyForCommand(args);
    // Sent before the commands load: that takes ~70 ms without a turn of the event loop.
    await earlyRequestsWritten();
  }
  const { runCli } = await import("./run-cli.js");
  await runCli(process.argv);
  // The command is over: end now, once the output is out, instead of when the engine closes
  // its last connection (an exec in a container removed under it can be left open for ever).
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}
