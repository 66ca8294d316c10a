import { type CopyResult, copy } from "../../environment/copy/copy-files.js";
import type { OperationEvent } from "../../environment/operation.js";
import { ModelboxDevError } from "../../errors.js";
import { formatBytes } from "../../registry/pull-tracker.js";
import { renderEvents, withInterrupt } from "../client.js";
import { logLine, printJson, printLine } from "../output.js";
import { transferDisplay } from "../transfer-progress.js";

interface CpFlags {
  followLink?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** A tar on a terminal makes no sense: refuse before anything is read or written. */
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
  const render = renderEvents(flags.json);
  const transfers = transferDisplay(flags.json);
  const onEvent = (event: OperationEvent) => {
    if (event.type !== "transfer") render(event);
    else if (!flags.quiet) transfers.onEvent(event);
  };
  const result = await withInterrupt((signal) =>
    copy(
      {
        source,
        destination,
        followLink: flags.followLink ?? false,
        ...(source === "-" ? { input: process.stdin } : {}),
        ...(destination === "-" ? { output: process.stdout } : {}),
      },
      { signal, onEvent },
    ),
  ).finally(() => transfers.done());
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  // stdout carries the tar when the destination is '-'.
  if (destination === "-") logLine(summary(result));
  else printLine(summary(result));
  for (const warning of result.warnings) logLine(`warning: ${warning}`);
  return 0;
}
