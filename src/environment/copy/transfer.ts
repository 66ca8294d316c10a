import { Transform } from "node:stream";
import { ModelboxDevError } from "../../errors.js";
import type { ResolvedContext } from "../operation.js";

const PROGRESS_EVERY_MS = 100;

/**
 * Passes bytes through, counting them, and reports the running total as transfer events (at
 * most every 100 ms, and once at the end).
 */
export function progressCounter(
  context: Pick<ResolvedContext, "emit">,
  totalBytes: number | undefined,
  now: () => number = Date.now,
): { stream: Transform; bytes: () => number } {
  let bytes = 0;
  let last = 0;
  const emit = () =>
    context.emit({
      type: "transfer",
      phase: "progress",
      bytes,
      ...(totalBytes !== undefined ? { totalBytes } : {}),
    });
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      const t = now();
      if (t - last >= PROGRESS_EVERY_MS) {
        last = t;
        emit();
      }
      callback(null, chunk);
    },
    flush(callback) {
      emit();
      callback();
    },
  });
  return { stream, bytes: () => bytes };
}

/** Ctrl-C (or the client's abort) during a transfer. */
export function interrupted(landed: string): ModelboxDevError {
  return new ModelboxDevError(
    "INTERRUPTED",
    `The copy was interrupted; what was copied so far stays at ${landed}.`,
    "Run the same command again to copy everything (files are overwritten).",
  );
}

export function wasAborted(signal: AbortSignal | undefined, err: unknown): boolean {
  return signal?.aborted === true || (err instanceof Error && err.name === "AbortError");
}
