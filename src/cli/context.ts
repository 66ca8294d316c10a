import { networkInterfaces } from "node:os";
import { type Reach, reachFor } from "../access/reach.js";
import { openTunnel } from "../access/ssh-tunnel.js";
import { freeLocalPorts } from "./free-ports.js";
import type { EngineConnection } from "../engine/types.js";
import { reachableAddress } from "../environment/readiness.js";
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

/**
 * How ports published on `bind` by this engine are reached from here, and the address to print
 * (`--host-address` wins): the remote host's address for a remote engine, through an SSH jump
 * when they listen on its loopback.
 */
export function reachOf(
  connection: EngineConnection,
  bind: string | undefined,
  hostAddress?: string,
): Reach {
  const b = bind ?? "";
  return reachFor(
    connection,
    b,
    { hostAddress: detectHostAddress(b), connectAddress: reachableAddress(b) },
    hostAddress,
  );
}

/**
 * Where this machine reaches a published port for up's readiness checks: directly, or through a
 * short-lived SSH tunnel when the port is on a remote host's loopback.
 */
export function portReacher(
  engine: ContainerEngine,
): (hostIp: string, port: number) => Promise<{ host: string; port: number; close(): void }> {
  return async (hostIp, port) => {
    const reach = reachOf(engine.connection, hostIp);
    if (!reach.proxyJump) return { host: reach.connectAddress, port, close: () => undefined };
    const tunnel = await openTunnel({
      jump: reach.proxyJump,
      target: { host: reach.connectAddress, port },
      localPort: (await freeLocalPorts(1))[0] ?? 0,
    });
    return { host: "127.0.0.1", port: tunnel.localPort, close: () => tunnel.close() };
  };
}
