import { ModelboxDevError } from "../../errors.js";
import { EngineCallError } from "../types.js";

interface DockerodeError {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

function asDockerodeError(err: unknown): DockerodeError {
  return typeof err === "object" && err !== null ? err : { message: String(err) };
}

export function statusCodeOf(err: unknown): number | undefined {
  return asDockerodeError(err).statusCode;
}

/** The daemon's own sentence, without dockerode's "(HTTP code 500) server error -" prefix. */
export function daemonMessageOf(err: unknown): string {
  const e = asDockerodeError(err);
  if (e.json && typeof e.json.message === "string") return e.json.message;
  const text = e.message ?? String(err);
  return text.replace(/^\(HTTP code \d+\)[^-]*- /, "").trim();
}

const unreachableCodes = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "EACCES",
  "ECONNRESET",
  "EHOSTUNREACH",
]);

/** Turns "cannot even talk to the engine" into one clear error; anything else is returned as is. */
export function translateConnectionError(err: unknown, endpoint: string): unknown {
  const e = asDockerodeError(err);
  if (e.code && unreachableCodes.has(e.code)) {
    const permission = e.code === "EACCES";
    return new ModelboxDevError(
      "ENGINE_UNAVAILABLE",
      permission
        ? `Permission denied on the container engine at ${endpoint}.`
        : `Cannot reach a container engine at ${endpoint} (${e.code}).`,
      permission
        ? "Add your user to the 'docker' group (then log in again), or run with sudo."
        : "Is Docker installed and running? Try 'sudo systemctl start docker' (or 'dockerd &'); set DOCKER_HOST to use another engine, e.g. Podman's socket.",
      { cause: err },
    );
  }
  return err;
}

/** Any failure of an engine call as one of ours: ENGINE_UNAVAILABLE, or the daemon's sentence. */
export function wrapError(err: unknown, endpoint: string): Error {
  const translated = translateConnectionError(err, endpoint);
  if (translated instanceof ModelboxDevError) return translated;
  if (err instanceof ModelboxDevError) return err;
  return new EngineCallError(daemonMessageOf(err), statusCodeOf(err));
}
