import { networkInterfaces } from "node:os";
import { createEngine as createEngineFor } from "../engine/select/create-engine.js";
import type { EngineFlags } from "../engine/select/resolve-engine.js";
import type { ContainerEngine } from "../engine/types.js";

let engineFlags: EngineFlags = {};

/** The global --host / --context, set once before a command runs. */
export function setEngineFlags(flags: EngineFlags): void {
  engineFlags = { ...flags };
}

/** The engine chosen as the docker CLI chooses (--context, --host, DOCKER_HOST, contexts). */
export function createEngine(): ContainerEngine {
  return createEngineFor(engineFlags);
}

const VIRTUAL_INTERFACE = /^(docker|br-|veth|virbr|cni|flannel|cali|podman|lo)/;

/**
 * The address a user on another machine would use to reach this host: the bind address when it
 * is a specific one, else the first external IPv4 address not on a container bridge.
 */
export function detectHostAddress(bind: string | undefined): string {
  if (bind && bind !== "0.0.0.0" && bind !== "::") return bind;
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    if (VIRTUAL_INTERFACE.test(name)) continue;
    const v4 = addresses?.find((a) => a.family === "IPv4" && !a.internal);
    if (v4) return v4.address;
  }
  return "127.0.0.1";
}
