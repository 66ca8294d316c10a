import { type ErrorCode, ModelboxDevError } from "../errors.js";

/** One registry that did not deliver, and why. */
export interface RegistryFailure {
  registry: string;
  error: ModelboxDevError;
}

/** Failures worth trying the next registry for; anything else (disk full, Ctrl-C) stops. */
export const NEXT_REGISTRY_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "REGISTRY_UNREACHABLE",
  "REGISTRY_AUTH",
  "REGISTRY_ERROR",
  "IMAGE_NOT_FOUND",
  "PULL_FAILED",
]);

export function shouldTryNext(err: unknown): err is ModelboxDevError {
  return err instanceof ModelboxDevError && NEXT_REGISTRY_CODES.has(err.code);
}

/**
 * One error for "every registry failed": a single failure as it is; several as one sentence,
 * with each registry's reason on its own line. The code is theirs when all agree, else `mixed`.
 */
export function combineFailures(
  what: string,
  failures: RegistryFailure[],
  mixed: ErrorCode,
): ModelboxDevError {
  const [first] = failures;
  if (!first) {
    return new ModelboxDevError(
      mixed,
      `${what}: no registry to ask.`,
      'Name one with --registry HOST[/NAMESPACE], or in the config file\'s "registries".',
    );
  }
  if (failures.length === 1) return first.error;
  const codes = new Set(failures.map((f) => f.error.code));
  const hints = [...new Set(failures.flatMap((f) => (f.error.hint ? [f.error.hint] : [])))];
  return new ModelboxDevError(
    codes.size === 1 ? first.error.code : mixed,
    `${what}: all ${failures.length} registries failed.`,
    hints.join(" "),
    // Each message names its registry already.
    { details: failures.map((f) => `  ${f.error.message}`) },
  );
}
