import { formatBytes } from "../../registry/pull-tracker.js";
import { type CopyResult, copy } from "../../environment/copy/copy-files.js";
import type { CopyEvent } from "../../environment/copy/transfer.js";
import { ModelboxDevError } from "../../errors.js";
import { createEngine } from "../context.js";
import { logLine, printJson, printLine } from "../output.js";
import { type TransferReporter, progressMode, transferReporter } from "../pull-progress.js";
import { withInterrupt } from "../client.js";

interface CpFlags {
  followLink?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** Streams on a terminal make no sense for a tar: refuse before anything is read or written. */
function checkStreams(source: string, destination: string, flags: CpFlags): void {
  if (destination === "-" && flags.json) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--json and a '-' destination both want stdout.",
      "Drop --json when streaming the tar to stdout.",
    );
  }
  if (destination === "-" && process.stdout.isTTY) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "Refusing to write a tar archive to a terminal.",
      "Redirect it ('> files.tar') or pipe it ('| tar -xf -').",
    );
  }
  if (source === "-" && process.stdin.isTTY) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "'-' reads a tar archive from stdin, and stdin is a terminal.",
      "Pipe one in, e.g. 'tar -cf - data | modelbox-dev cp - NAME:/root/'.",
    );
  }
}

/** A copy that ends sooner than this shows no progress at all, only its summary. */
const QUIET_START_MS = 1_000;

/** Progress as the terminal, a pipe or a JSON reader wants it (stderr); nothing with --quiet. */
function progressDisplay(flags: CpFlags, now: () => number = Date.now) {
  let reporter: TransferReporter | undefined;
  let started = 0;
  let shown = 0;
  // Nothing is shown during the first second: a small copy prints only its summary.
  const stderr = {
    write: (text: string) => now() - started < QUIET_START_MS || process.stderr.write(text),
    isTTY: process.stderr.isTTY,
    columns: process.stderr.columns,
  };
  return {
    onEvent(event: CopyEvent) {
      if (flags.quiet) return;
      if (event.type === "copy-start") {
        started = now();
        const mode = progressMode(flags.json, process.stderr);
        reporter = transferReporter("Copying", event.totalBytes, mode, stderr);
        return;
      }
      reporter?.add(event.bytes - shown);
      shown = event.bytes;
    },
    done: () => reporter?.done(),
  };
}

function summary(result: CopyResult): string {
  const to =
    result.path === "-"
      ? "stdout"
      : result.direction === "to-environment"
        ? `${result.name}:${result.path}`
        : result.path;
  const from = result.source === "-" ? " from stdin" : "";
  return `Copied ${formatBytes(result.bytes)}${from} to ${to} (${result.seconds} s)`;
}

export async function run(source: string, destination: string, flags: CpFlags): Promise<number> {
  checkStreams(source, destination, flags);
  const display = progressDisplay(flags);
  const result = await withInterrupt((signal) =>
    copy(
      {
        source,
        destination,
        followLink: flags.followLink ?? false,
        ...(source === "-" ? { input: process.stdin } : {}),
        ...(destination === "-" ? { output: process.stdout } : {}),
      },
      { engine: createEngine(), signal, onEvent: (e) => display.onEvent(e) },
    ),
  ).finally(() => display.done());
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  const line = summary(result);
  // stdout carries the tar when the destination is '-'.
  if (destination === "-") logLine(line);
  else printLine(line);
  for (const warning of result.warnings) logLine(`warning: ${warning}`);
  return 0;
}
