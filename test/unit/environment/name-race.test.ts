/**
 * Losing the race for a name to another process's `up`. The engine here is scripted: it answers
 * inspections as dockerd did in the race seen (a create refused with 409 while the other create
 * was still under way, so that the name was taken but no container of that name could be
 * inspected yet). The real race runs in test/e2e/bad-input.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { ContainerDetails, ContainerStatus } from "../../../src/engine/types.js";
import { ModelboxDevError } from "../../../src/errors.js";
import { LABELS } from "../../../src/labels.js";
import { NameRaceError } from "../../../src/environment/apply/container-steps.js";
import { retryingNameRaces, waitUntilStarted } from "../../../src/environment/name-race.js";

const NAME = "race-env";

function container(status: ContainerStatus, created = new Date()): ContainerDetails {
  // Only what the race handling reads; the rest of an inspection does not matter to it.
  const seen = { name: NAME, status, created, labels: { [LABELS.managed]: "true" } };
  return seen as unknown as ContainerDetails;
}

/** Inspections answered in order; the last answer repeats. */
function scriptedEngine(answers: Array<ContainerDetails | undefined>) {
  const seen: Array<string | undefined> = [];
  return {
    seen,
    inspectContainer: (name: string) => {
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      seen.push(answer?.status);
      expect(name).toBe(NAME);
      return Promise.resolve(answer);
    },
  };
}

const quiet = () => undefined;

describe("waitUntilStarted", () => {
  it("a name taken by a create still under way: waits while it cannot be inspected, then until it runs", async () => {
    const engine = scriptedEngine([
      undefined,
      undefined,
      container("created"),
      container("running"),
    ]);
    await waitUntilStarted({ engine, log: quiet }, NAME, 30);
    expect(engine.seen).toEqual([undefined, undefined, "created", "running"]);
  });

  it("a container that was seen and then removed: the wait ends (the next try makes its own)", async () => {
    const engine = scriptedEngine([container("created"), undefined]);
    await waitUntilStarted({ engine, log: quiet }, NAME, 30);
    expect(engine.seen).toEqual(["created", undefined]);
  });

  it("a container that stays created past the timeout is NAME_TAKEN", async () => {
    const engine = scriptedEngine([container("created")]);
    await expect(waitUntilStarted({ engine, log: quiet }, NAME, 0.3)).rejects.toBeInstanceOf(
      NameRaceError,
    );
  });
});

describe("retryingNameRaces", () => {
  it("a race lost again on the next try (the other create still under way) is waited out too", async () => {
    const engine = scriptedEngine([undefined, container("running")]);
    const lines: string[] = [];
    let tries = 0;
    const result = await retryingNameRaces({ engine, log: (l) => lines.push(l) }, NAME, 30, () => {
      tries++;
      if (tries <= 2) return Promise.reject(new NameRaceError(NAME));
      return Promise.resolve("already-running");
    });
    expect(result).toBe("already-running");
    expect(tries).toBe(3);
    expect(lines).toHaveLength(2);
  });

  it("a port refusal while another process made this environment is a lost race; a real one is not", async () => {
    const portTaken = () =>
      new ModelboxDevError("PORT_IN_USE", "Host port 20052 (--ssh-port) is already in use.", "");
    let tries = 0;
    const made = scriptedEngine([container("running")]);
    await expect(
      retryingNameRaces({ engine: made, log: quiet }, NAME, 30, () =>
        ++tries === 1 ? Promise.reject(portTaken()) : Promise.resolve("kept"),
      ),
    ).resolves.toBe("kept");

    const none = scriptedEngine([undefined]);
    await expect(
      retryingNameRaces({ engine: none, log: quiet }, NAME, 30, () => Promise.reject(portTaken())),
    ).rejects.toMatchObject({ code: "PORT_IN_USE" });

    // Made long before this call began: somebody else's environment holds the port.
    const old = scriptedEngine([container("running", new Date(Date.now() - 60_000))]);
    await expect(
      retryingNameRaces({ engine: old, log: quiet }, NAME, 30, () => Promise.reject(portTaken())),
    ).rejects.toMatchObject({ code: "PORT_IN_USE" });
  });

  it("other failures pass through at once, and a race lost on every try ends with its error", async () => {
    const engine = scriptedEngine([container("running")]);
    let tries = 0;
    await expect(
      retryingNameRaces({ engine, log: quiet }, NAME, 30, () => {
        tries++;
        return Promise.reject(new ModelboxDevError("SPEC_CHANGED", "differs", ""));
      }),
    ).rejects.toMatchObject({ code: "SPEC_CHANGED" });
    expect(tries).toBe(1);

    tries = 0;
    await expect(
      retryingNameRaces({ engine, log: quiet }, NAME, 30, () => {
        tries++;
        return Promise.reject(new NameRaceError(NAME));
      }),
    ).rejects.toBeInstanceOf(NameRaceError);
    expect(tries).toBe(4);
  });
});
