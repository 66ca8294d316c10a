import { openTunnel } from "../access/ssh-tunnel.js";
import { type Reach, reachFor, reachableAddress } from "../connect-address.js";
import type { ContainerSummary, ContainerEngine, EngineConnection } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import {
  detectHostAddress,
  interfaceAddresses,
  isAddressOfThisHost,
} from "../host/host-address.js";
import { checkText } from "../input-text.js";
import { validateBindAddress } from "../plan/validate.js";
import { bindAddressOf } from "../published-ports.js";

/**
 * How ports published on `bind` by this engine are reached from here, and the address to print
 * (`hostAddress`, i.e. --host-address, wins): this host's for a local engine; the remote host's
 * for a remote one, through an SSH jump when they listen on its loopback.
 */
export function reachOf(
  connection: EngineConnection,
  bind: string | undefined,
  hostAddress?: string,
): Reach {
  const b = bind ?? "";
  // Printed in the ssh command, the editor URL and ~/.ssh/config: one clean word.
  if (hostAddress !== undefined) checkText(hostAddress, "--host-address");
  return reachFor(
    connection,
    b,
    { hostAddress: detectHostAddress(b), connectAddress: reachableAddress(b) },
    hostAddress,
  );
}

/** The environment's addresses: by the bind of the ports the engine publishes for it. */
export function reachOfEnvironment(
  engine: ContainerEngine,
  c: ContainerSummary,
  hostAddress?: string,
): Reach {
  return reachOf(engine.connection, bindAddressOf(c), hostAddress);
}

/** `up --bind` that this machine could not reach (a tcp:// engine's loopback) is refused first. */
export function assertBindReachable(connection: EngineConnection, bind: string | undefined): void {
  const unreachable = reachOf(connection, bind).unreachable;
  if (!unreachable) return;
  throw new ModelboxDevError(
    "INVALID_OPTION",
    `--bind ${bind ?? ""} cannot work from here: ${unreachable}.`,
    "Reach the engine over ssh (--host ssh://user@host, or a context with an ssh:// endpoint), which tunnels to its loopback; or publish on an address this machine reaches (--bind HOST_ADDRESS).",
  );
}

/**
 * `--bind` on a local engine names an address of this host, or the engine's proxy fails late
 * with "cannot assign requested address" (and every port looks taken before that). A remote
 * engine's host addresses are not known here: its daemon says.
 */
export function assertBindOnHost(connection: EngineConnection, bind: string | undefined): void {
  if (bind === undefined || connection.remoteHost !== undefined) return;
  validateBindAddress(bind);
  if (bind === "" || isAddressOfThisHost(bind)) return;
  throw notOnHost(`--bind ${bind}`, bind);
}

/** The error for an address to listen on that this host does not have. */
export function notOnHost(what: string, address: string): ModelboxDevError {
  const own = [...new Set(interfaceAddresses().map((a) => a.replace(/%.*$/, "")))];
  return new ModelboxDevError(
    "ADDRESS_NOT_ON_HOST",
    `${what}: ${address} is not an address of this host, so nothing can listen on it.`,
    `Use one of this host's addresses: ${own.join(", ")}; or 0.0.0.0 (every interface) or 127.0.0.1 (this host only).`,
  );
}

/** Where this machine connects to one published port; `close` ends what was opened for it. */
export interface PortAccess {
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A published port as this machine reaches it: directly, or through a short-lived SSH tunnel
 * when it listens on a remote host's loopback.
 */
export async function openPort(
  reach: Reach,
  port: number,
  signal?: AbortSignal,
): Promise<PortAccess> {
  if (!reach.proxyJump) {
    return { host: reach.connectAddress, port, close: () => Promise.resolve() };
  }
  const tunnel = await openTunnel({
    jump: reach.proxyJump,
    target: { host: reach.connectAddress, port },
    ...(signal ? { signal } : {}),
  });
  return { host: "127.0.0.1", port: tunnel.localPort, close: () => tunnel.close() };
}

/** Runs `fn` with the port reachable from here, and closes any tunnel afterwards. */
export async function withPort<T>(
  reach: Reach,
  port: number,
  fn: (at: { host: string; port: number }) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const at = await openPort(reach, port, signal);
  try {
    return await fn(at);
  } finally {
    await at.close();
  }
}
