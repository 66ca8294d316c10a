import { BlockList, isIP } from "node:net";
import { networkInterfaces } from "node:os";

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

/** The addresses of this host's interfaces, as `ip address` lists them (loopback included). */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
}

/**
 * Whether a listener can bind `address` on this host: a wildcard, any 127.x address (Linux
 * answers the whole of 127.0.0.0/8 on lo), or an address one of its interfaces has.
 */
export function isAddressOfThisHost(address: string, addresses = interfaceAddresses()): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  const own = new BlockList();
  own.addSubnet("127.0.0.0", 8, "ipv4");
  for (const wildcard of ["0.0.0.0", "::", "::1"])
    own.addAddress(wildcard, isIP(wildcard) === 4 ? "ipv4" : "ipv6");
  for (const a of addresses) {
    const bare = a.replace(/%.*$/, "");
    if (isIP(bare)) own.addAddress(bare, isIP(bare) === 4 ? "ipv4" : "ipv6");
  }
  try {
    return own.check(address.replace(/%.*$/, ""), type);
  } catch {
    return false;
  }
}
