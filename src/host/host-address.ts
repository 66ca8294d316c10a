import { isIP } from "node:net";
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
 * answers the whole of 127.0.0.0/8 on lo), or an address one of its interfaces has. IPv6
 * addresses are compared in their canonical text (the URL parser's), zones aside. (node:net's
 * BlockList did this too, but its first use cost ~20 ms of an `up`.)
 */
export function isAddressOfThisHost(address: string, addresses = interfaceAddresses()): boolean {
  const wanted = canonicalAddress(address);
  if (wanted === undefined) return false;
  if (wanted === "0.0.0.0" || wanted === "::" || wanted === "::1") return true;
  if (isIP(wanted) === 4 && wanted.startsWith("127.")) return true;
  return addresses.some((a) => canonicalAddress(a) === wanted);
}

/** An IP address without its zone, IPv6 in its canonical text; undefined for anything else. */
function canonicalAddress(address: string): string | undefined {
  const bare = address.replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return bare;
  if (family === 6) return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return undefined;
}
