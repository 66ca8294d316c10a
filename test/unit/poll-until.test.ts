import { describe, expect, it } from "vitest";
import { ModelboxDevError } from "../../src/errors.js";
import { pollUntil } from "../../src/poll-until.js";

const timeoutError = () => new ModelboxDevError("READINESS_TIMEOUT", "gave up");

async function errorOf(promise: Promise<unknown>): Promise<ModelboxDevError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelboxDevError);
  return err as ModelboxDevError;
}

describe("pollUntil: the one readiness loop", () => {
  it("tries until an attempt returns a value, and returns it", async () => {
    const rounds: number[] = [];
    const value = await pollUntil(
      (round) => {
        rounds.push(round);
        return Promise.resolve(round === 3 ? "ready" : undefined);
      },
      { deadline: Date.now() + 5_000, intervalMs: 1, onTimeout: timeoutError },
    );
    expect(value).toBe("ready");
    expect(rounds).toEqual([1, 2, 3]);
  });

  it("past the deadline, the last attempt still runs, then onTimeout's error is thrown", async () => {
    let attempts = 0;
    const err = await errorOf(
      pollUntil(
        () => {
          attempts++;
          return Promise.resolve(undefined);
        },
        { deadline: Date.now() - 1, intervalMs: 1, onTimeout: timeoutError },
      ),
    );
    expect(err.code).toBe("READINESS_TIMEOUT");
    expect(attempts).toBe(1);
  });

  it("an attempt that throws ends the wait with its error", async () => {
    const err = await errorOf(
      pollUntil(() => Promise.reject(new ModelboxDevError("START_FAILED", "exited")), {
        deadline: Date.now() + 5_000,
        onTimeout: timeoutError,
      }),
    );
    expect(err.code).toBe("START_FAILED");
  });

  it("an aborted signal ends the wait with INTERRUPTED, also in the middle of a pause", async () => {
    const controller = new AbortController();
    const waiting = pollUntil(() => Promise.resolve(undefined), {
      deadline: Date.now() + 60_000,
      intervalMs: 60_000,
      signal: controller.signal,
      onTimeout: timeoutError,
    });
    setTimeout(() => controller.abort(), 10);
    expect((await errorOf(waiting)).code).toBe("INTERRUPTED");
  });

  it("backs off between attempts up to the longest pause", async () => {
    const times: number[] = [];
    await pollUntil(
      () => {
        times.push(Date.now());
        return Promise.resolve(times.length === 5 ? true : undefined);
      },
      {
        deadline: Date.now() + 5_000,
        intervalMs: 5,
        backoff: 2,
        maxIntervalMs: 20,
        onTimeout: timeoutError,
      },
    );
    // Pauses of at least 5, 10, 20 and 20 ms (the cap): 55 ms or more in all.
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(50);
  });
});
