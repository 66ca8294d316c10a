/**
 * The access steps load once the container starts (after-start.ts names them by id so that
 * `up` can run them before their module is loaded): every step the module handles must be named.
 */
import { describe, expect, it } from "vitest";
import { ACCESS_STEPS as LOADED } from "../../../src/environment/apply/access-steps.js";
import { ACCESS_STEPS, ACCESS_STEP_IDS } from "../../../src/environment/apply/after-start.js";

describe("the access steps, loaded after start", () => {
  it("name every step of the access module, and only those", () => {
    expect([...ACCESS_STEP_IDS].sort()).toEqual(Object.keys(LOADED).sort());
    expect(Object.keys(ACCESS_STEPS).sort()).toEqual(Object.keys(LOADED).sort());
  });
});
