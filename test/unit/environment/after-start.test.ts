/**
 * The access steps load once the container starts: after-start.ts gives `up` a handler for each
 * access step id (plan/types.ts) that forwards to the access module's, which its type makes
 * complete.
 */
import { describe, expect, it } from "vitest";
import { ACCESS_STEPS as LOADED } from "../../../src/environment/apply/access-steps.js";
import { ACCESS_STEPS } from "../../../src/environment/apply/after-start.js";
import { ACCESS_STEP_IDS } from "../../../src/plan/types.js";

describe("the access steps, loaded after start", () => {
  it("a forwarding handler for every access step, and a real one behind each", () => {
    expect(Object.keys(ACCESS_STEPS).sort()).toEqual([...ACCESS_STEP_IDS].sort());
    expect(Object.keys(LOADED).sort()).toEqual([...ACCESS_STEP_IDS].sort());
  });
});
