/**
 * The address to connect to for a listener bound on `hostIp`: a wildcard bind is reached on the
 * loopback of the same family. Shared by the host side (published ports) and the container side
 * (the ModelBox server's own listen address).
 */
export function reachableAddress(hostIp: string): string {
  if (hostIp === "" || hostIp === "0.0.0.0") return "127.0.0.1";
  if (hostIp === "::") return "::1";
  return hostIp;
}
