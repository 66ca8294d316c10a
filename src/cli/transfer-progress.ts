import type { TransferEvent } from "../environment/operation.js";
import { type TransferReporter, progressMode, transferReporter } from "./pull-progress.js";

/** A copy that ends sooner than this shows no progress at all, only its summary. */
const QUIET_START_MS = 1_000;

/**
 * A copy's progress on stderr as the terminal, a pipe or a JSON reader wants it (a redrawn line,
 * a line every few seconds, JSON lines), after a quiet first second.
 */
export function transferDisplay(json: boolean | undefined, now: () => number = Date.now) {
  let reporter: TransferReporter | undefined;
  let started = 0;
  let shown = 0;
  const stderr = {
    write: (text: string) => now() - started < QUIET_START_MS || process.stderr.write(text),
    isTTY: process.stderr.isTTY,
    columns: process.stderr.columns,
  };
  return {
    onEvent(event: TransferEvent): void {
      if (event.phase === "start") {
        started = now();
        const mode = progressMode(json, process.stderr);
        reporter = transferReporter("Copying", event.totalBytes, mode, stderr, now);
        return;
      }
      reporter?.add(event.bytes - shown);
      shown = event.bytes;
    },
    /** The copy is over: the redrawn line is cleared. */
    done(): void {
      reporter?.done();
    },
  };
}
