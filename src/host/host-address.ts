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
