import { describe, expect, it } from "vitest";
import { daemonMessageOf, wrapError } from "../../../../src/engine/docker/engine-errors.js";
import { EngineCallError } from "../../../../src/engine/types.js";

/** Errors shaped as docker-modem builds them (modem.js buildPayload). */
function modemError(statusCode: number, reason: string, json: { message: string } | null): Error {
  const cause = json?.message ?? "";
  const err = new Error(`(HTTP code ${statusCode}) ${reason} - ${cause} `);
  return Object.assign(err, { statusCode, reason, json });
}

describe("the daemon's sentence from an engine error", () => {
  it("takes the daemon's own message", () => {
    const err = modemError(409, "conflict", {
      message: 'Conflict. The container name "/x" is already in use',
    });
    expect(daemonMessageOf(err)).toBe('Conflict. The container name "/x" is already in use');
  });

  it("an answer without a body says what dockerode knows, never an empty sentence", () => {
    // Docker answers 304 with no body when the container was already started.
    const err = modemError(304, "container already started", null);
    expect(daemonMessageOf(err)).toBe("container already started (HTTP 304)");
    const wrapped = wrapError(err, "unix:///var/run/docker.sock");
    expect(wrapped).toBeInstanceOf(EngineCallError);
    expect(wrapped.message).toBe("container already started (HTTP 304)");
    expect((wrapped as EngineCallError).statusCode).toBe(304);
  });

  it("an empty message and no reason still names the status", () => {
    const err = Object.assign(new Error(""), { statusCode: 502, json: { message: "" } });
    expect(daemonMessageOf(err)).toBe("the engine refused without a reason (HTTP 502)");
  });
});
