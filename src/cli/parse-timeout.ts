import { ModelboxDevError } from "../errors.js";

/** `--timeout SECONDS`: a positive number, or a clear error. */
export function parseTimeoutSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--timeout ${value} is not a number of seconds.`,
      "E.g. --timeout 300.",
    );
  }
  return seconds;
}
