import { toModelboxDevError } from "../errors.js";
import type { ApiError } from "./protocol.js";

/** An error as the CLI prints it with --json: the same code, message, hint and details. */
export function toApiError(err: unknown): ApiError {
  const e = toModelboxDevError(err);
  return {
    code: e.code,
    message: e.message,
    ...(e.hint ? { hint: e.hint } : {}),
    ...(e.details.length ? { details: e.details } : {}),
  };
}

const STATUS: Record<string, number> = {
  NOT_FOUND: 404,
  NOT_MANAGED: 403,
  NOT_OWNER: 403,
  NAME_TAKEN: 409,
  IS_RUNNING: 409,
  NOT_RUNNING: 409,
  SPEC_CHANGED: 409,
  ENGINE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The HTTP status for an error: input and host problems are the caller's (4xx) by default. */
export function httpStatusOf(error: ApiError): number {
  return STATUS[error.code] ?? (error.code.startsWith("INVALID_") ? 400 : 422);
}
