/** firewalld: `firewall-cmd --list-all[-zones]` parsed, and what zones mean for published ports. */
import { parsePortList, type Evaluation, type Policy, type PortRange } from "./netfilter.js";

export interface FirewalldZone {
  name: string;
  active: boolean;
  isDefault: boolean;
  /** "default", "ACCEPT", "DROP", "REJECT" (or "%%REJECT%%"). */
  target?: string;
  interfaces: string[];
  sources: string[];
  services: string[];
  ports: { ports: PortRange[]; protocol: string }[];
  /** firewalld >= 1.0 prints "forward: yes|no" (intra-zone forwarding); absent before. */
  forward?: boolean;
  masquerade?: boolean;
  forwardPorts: string[];
  richRules: string[];
}

export interface FirewalldZones {
  tool: "firewalld";
  active: boolean;
  defaultInputPolicy?: Policy;
  zones: FirewalldZone[];
}

/** Parses `firewall-cmd --list-all`, `--list-all-zones` or `--info-zone=X` (one or more zone blocks). */
export function parseFirewallCmd(text: string): FirewalldZones {
  const zones: FirewalldZone[] = [];
  let zone: FirewalldZone | undefined;
  let lastKey: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const header = /^(\S+)(?:\s+\(([^)]*)\))?\s*$/.exec(line);
    if (header && !line.startsWith(" ") && !line.startsWith("\t")) {
      const flags = (header[2] ?? "").split(/,\s*/);
      zone = {
        name: header[1] ?? "",
        active: flags.includes("active"),
        isDefault: flags.includes("default"),
        interfaces: [],
        sources: [],
        services: [],
        ports: [],
        forwardPorts: [],
        richRules: [],
      };
      zones.push(zone);
      lastKey = undefined;
      continue;
    }
    if (!zone) continue;
    const kv = /^\s{1,2}([a-z][a-z -]*):\s?(.*)$/.exec(line);
    if (kv) {
      const key = kv[1] ?? "";
      const value = (kv[2] ?? "").trim();
      const words = value === "" ? [] : value.split(/\s+/);
      lastKey = key;
      if (key === "target") zone.target = value;
      else if (key === "interfaces") zone.interfaces = words;
      else if (key === "sources") zone.sources = words;
      else if (key === "services") zone.services = words;
      else if (key === "ports") {
        for (const w of words) {
          const [p = "", protocol = "tcp"] = w.split("/");
          const ports = parsePortList(p.replace("-", ":"));
          if (ports) zone.ports.push({ ports, protocol });
        }
      } else if (key === "forward") zone.forward = value === "yes";
      else if (key === "masquerade") zone.masquerade = value === "yes";
      else if (key === "forward-ports") zone.forwardPorts = words;
      else if (key === "rich rules" && value !== "") zone.richRules.push(value);
      continue;
    }
    // Rich rules (and long forward-port lists) continue on deeper-indented lines.
    if (lastKey === "rich rules") zone.richRules.push(line.trim());
  }

  // The zone that filters the host's own inbound traffic: the default one, else an active zone
  // other than Docker's ("docker" only says how Docker's bridges are treated).
  const inputZone =
    zones.find((z) => z.isDefault) ??
    zones.find((z) => z.active && z.name !== "docker" && z.name !== "trusted");
  const target = inputZone?.target?.toUpperCase();
  const defaultInputPolicy: Policy | undefined =
    target === undefined
      ? undefined
      : target === "ACCEPT"
        ? "accept"
        : target === "DROP"
          ? "drop"
          : "reject"; // "default" and REJECT reject what the zone does not allow
  return {
    tool: "firewalld",
    active: zones.some((z) => z.active) && !/not running/i.test(text),
    ...(defaultInputPolicy ? { defaultInputPolicy } : {}),
    zones,
  };
}

/**
 * firewalld and Docker: zone services/ports govern connections to the host itself (INPUT). For
 * forwarded traffic firewalld's filter_FORWARD accepts DNATed connections ("ct status dnat
 * accept") before any zone or policy rule, so published ports stay reachable whatever the zone
 * says (moby/libnetwork#2682 "all docker containers listening on 0.0.0.0:PORT are exposed").
 * Docker >= 20.10 also puts its bridges in a "docker" zone with target ACCEPT so firewalld leaves
 * container traffic alone. What this listing cannot show - direct rules, policies, or
 * StrictForwardPorts=yes - is left to the iptables/nft view of the same host.
 */
export function evaluateFirewalld(zones: FirewalldZones): Evaluation {
  if (!zones.active) return { verdict: "open", reason: "firewalld is not running" };
  const docker = zones.zones.find((z) => z.name === "docker");
  return {
    verdict: "open",
    reason:
      "firewalld zones filter connections to the host; Docker-published ports are DNATed and forwarded, which firewalld accepts" +
      (docker ? ` (Docker's bridges are in zone "docker", target ${docker.target ?? "?"})` : ""),
  };
}
