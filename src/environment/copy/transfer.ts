import { Transform } from "node:stream";
import type { ContainerEngine } from "../../engine/types.js";
import { ModelboxDevError } from "../../errors.js";

/** What a copy reports while it runs (bytes are those of the tar stream). */
export type CopyEvent =
  | {
      type: "copy-start";
      direction: "to-environment" | "from-environment";
      from: string;
      to: string;
      /** An estimate of the archive's size, when it can be known beforehand. */
      totalBytes?: number;
    }
  | { type: "copy-progress"; bytes: number; totalBytes?: number };

/** How a client runs a copy: which engine, how to stop it, where its events go. */
export interface CopyContext {
  /** Default: the engine the CLI uses (DOCKER_HOST, or the local socket). */
  engine?: ContainerEngine;
  /** Aborting stops the transfer; the copy then fails with INTERRUPTED. */
  signal?: AbortSignal;
  onEvent?: (event: CopyEvent) => void;
}

const PROGRESS_EVERY_MS = 100;

/**
 * Passes bytes through, counting them, and reports the running total as copy-progress events
 * (at most every 100 ms, and once at the end).
 */
export function progressCounter(
  context: CopyContext,
  totalBytes: number | undefined,
  now: () => number = Date.now,
): { stream: Transform; bytes: () => number } {
  let bytes = 0;
  let last = 0;
  const emit = () =>
    context.onEvent?.({
      type: "copy-progress",
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
