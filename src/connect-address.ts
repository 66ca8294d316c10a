/**
 * Addresses of published ports: where this machine connects, and what is printed for users.
 * Shared by the host side (published ports, local or on a remote engine's host) and the
 * container side (the ModelBox server's own listen address).
 */

/**
 * The address to connect to for a listener bound on `hostIp`: a wildcard bind is reached on the
 * loopback of the same family.
 */
export function reachableAddress(hostIp: string): string {
  if (hostIp === "" || hostIp === "0.0.0.0") return "127.0.0.1";
  if (hostIp === "::") return "::1";
  return hostIp;
}

/** How published ports are reached from this machine, and what to print for users here. */
export interface Reach {
  /** The address printed in ssh commands, the ssh config entry and editor URLs. */
  hostAddress: string;
  /** Where this machine connects to the published ports (checks, key login). */
  connectAddress: string;
  /**
   * Set when the ports listen on a remote host's loopback and the engine is reached over ssh:
   * the same login is the jump host (`ProxyJump`), and the editor needs `modelbox-dev forward`.
   */
  proxyJump?: string;
  /** Set when the ports cannot be reached from this machine at all: why. */
  unreachable?: string;
}

/** What the addresses depend on of the engine's connection (engine/types.ts EngineConnection). */
export interface EngineAddress {
  url: string;
  transport: string;
  /** The engine's machine as reached from here, when it is another machine. */
  remoteHost?: string;
}

const WILDCARD = new Set(["", "0.0.0.0", "::"]);

export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === "::1" || address === "localhost";
}

/** user@host:port as ssh's -J and ProxyJump take it. */
export function jumpHostOf(connection: EngineAddress): string | undefined {
  if (connection.transport !== "ssh") return undefined;
  const url = new URL(connection.url);
  const user = decodeURIComponent(url.username);
  return `${user ? `${user}@` : ""}${url.hostname}${url.port ? `:${url.port}` : ""}`;
}

/**
 * Addresses for ports published on `bind` by this engine. A local engine: this host's (the bind
 * address or this host's external address, printed; the loopback for a wildcard bind, to
 * connect). A remote one: its host's address from the engine URL, unless the ports are on a
 * specific address of their own; ports on that host's loopback are reached through an SSH jump
 * when the engine itself is reached over ssh. `--host-address` wins for what is printed.
 */
export function reachFor(
  connection: EngineAddress,
  bind: string,
  local: { hostAddress: string; connectAddress: string },
  explicitHostAddress?: string,
): Reach {
  const remote = connection.remoteHost;
  if (!remote) {
    return {
      hostAddress: explicitHostAddress ?? local.hostAddress,
      connectAddress: local.connectAddress,
    };
  }
  if (WILDCARD.has(bind) || bind === remote) {
    const address = explicitHostAddress ?? remote;
    return { hostAddress: address, connectAddress: address };
  }
  if (!isLoopback(bind)) {
    const address = explicitHostAddress ?? bind;
    return { hostAddress: address, connectAddress: address };
  }
  const jump = jumpHostOf(connection);
  if (jump) return { hostAddress: bind, connectAddress: bind, proxyJump: jump };
  return {
    hostAddress: explicitHostAddress ?? remote,
    connectAddress: remote,
    unreachable: `the ports are published on ${remote}'s loopback (${bind}) only, which this machine cannot reach through a ${connection.transport}:// engine`,
  };
}
