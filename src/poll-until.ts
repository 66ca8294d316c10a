import { ModelboxDevError } from "./errors.js";

export interface PollOptions {
  /** Epoch milliseconds after which a failed attempt ends the wait with `onTimeout`'s error. */
  deadline: number;
  /** Pause after the first failed attempt, in ms (default 50). */
  intervalMs?: number;
  /** Each pause is the previous one times this (default 1: a steady pace). */
  backoff?: number;
  /** Longest pause, in ms (default 1000). */
  maxIntervalMs?: number;
  /** Aborting ends the wait at once with INTERRUPTED. */
  signal?: AbortSignal;
  /** The error for a wait that ran out of time (what it waited for, the last thing seen). */
  onTimeout: () => Error | Promise<Error>;
}

function interrupted(): ModelboxDevError {
  return new ModelboxDevError(
    "INTERRUPTED",
    "The wait was interrupted.",
    "Run the command again; what was already done is reused.",
  );
}

/** Throws INTERRUPTED when the signal has fired (for loops that pause on their own). */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw interrupted();
}

/**
 * `work`, or INTERRUPTED as soon as the signal fires (the work itself goes on unobserved, e.g. a
 * command in a container that is about to be removed anyway).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(interrupted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(interrupted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(interrupted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The one readiness loop: calls `attempt` until it returns a value (not undefined), pausing
 * between attempts with an optional backoff. An attempt stops the wait early by throwing (the
 * container exited, a refusal that will not go away); the deadline ends it with `onTimeout`.
 * The attempt that crosses the deadline still runs, so a slow attempt is never cut short.
 */
export async function pollUntil<T>(
  attempt: (round: number) => Promise<T | undefined>,
  options: PollOptions,
): Promise<T> {
  let interval = options.intervalMs ?? 50;
  for (let round = 1; ; round++) {
    if (options.signal?.aborted) throw interrupted();
    const value = await attempt(round);
    if (value !== undefined) return value;
    if (Date.now() > options.deadline) throw await options.onTimeout();
    await pause(interval, options.signal);
    interval = Math.min(interval * (options.backoff ?? 1), options.maxIntervalMs ?? 1_000);
  }
}
