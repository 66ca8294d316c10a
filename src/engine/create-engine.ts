import { createEngine as createEngineFor } from "./select/create-engine.js";
import type { EngineFlags } from "./select/resolve-engine.js";
import type { ContainerEngine } from "./types.js";

let defaultFlags: EngineFlags = {};

/**
 * The command line's --host / --context, for every engine made without one given (the CLI sets
 * them once, before a command runs; a library caller passes its own engine instead).
 */
export function setDefaultEngineFlags(flags: EngineFlags): void {
  defaultFlags = { ...flags };
}

/**
 * The engine used when none is given, chosen as the docker CLI chooses: --host/--context, then
 * DOCKER_HOST (TLS via DOCKER_TLS_VERIFY/DOCKER_CERT_PATH), DOCKER_CONTEXT, config.json's current
 * context, the default socket (and Podman's sockets or CONTAINER_HOST when it is not there).
 */
export function createEngine(flags: EngineFlags = defaultFlags): ContainerEngine {
  return createEngineFor(flags);
}

export { enginesForAllContexts } from "./select/create-engine.js";
