import { expect } from "vitest";
import { ModelboxDevError, type ErrorCode } from "../../../src/errors.js";

/** Runs `fn`, expects it to throw a ModelboxDevError with `code`, and returns the error. */
export function expectError(fn: () => unknown, code: ErrorCode): ModelboxDevError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected ${code} to be thrown`).toBeInstanceOf(ModelboxDevError);
  const error = thrown as ModelboxDevError;
  expect(error.code).toBe(code);
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}
