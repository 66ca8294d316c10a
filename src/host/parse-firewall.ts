/**
 * Firewall state from the host's tools, and whether it would drop connections to the host ports a
 * ModelBox container publishes (R8: "a port that is free but unreachable after start: check the
 * firewall"). Pure: text in, plain data out.
 *
 * The key fact, easy to get wrong: Docker publishes a port with DNAT in nat PREROUTING, so the
 * connection is FORWARDED to the container, not delivered to INPUT. Hence:
 *   - INPUT policies and "allow incoming" lists (iptables INPUT, ufw's incoming rules, firewalld
 *     zone services/ports) neither block nor allow published ports;
 *   - what blocks them is the forward path: DOCKER-USER rules, FORWARD rules placed before Docker's
 *     jumps, another nftables table's forward-hook chain, or ufw route rules when ufw-docker has
 *     wired ufw into DOCKER-USER.
 * Details for iptables/nft are in parse-netfilter-rules.ts; ufw and firewalld are below.
 */
import type { FirewallFacts } from "./facts.js";
import { evaluateIptables, parseIptables, type IptablesRuleset } from "./parse-iptables.js";
import {
  parsePortList,
  type Evaluation,
  type Policy,
  type PortCheck,
  type PortRange,
} from "./parse-netfilter-rules.js";
import { evaluateNft, parseNftRuleset, type NftRuleset } from "./parse-nft.js";

export { parseIptables, type IptablesRuleset } from "./parse-iptables.js";
export { parseNftRuleset, type NftRuleset } from "./parse-nft.js";
export type { PacketRule, Policy, PortRange, RuleChain, Verdict } from "./parse-netfilter-rules.js";

// ---------------------------------------------------------------------------------------------
// ufw

export interface UfwRule {
  /** The "To" cell: "22/tcp (OpenSSH)", "80/tcp (v6)", "Anywhere", "OpenSSH". */
  to: string;
  action: "allow" | "deny" | "reject" | "limit";
  /** "in" when ufw prints no direction (plain `ufw status`); "fwd" for route rules. */
  direction: "in" | "out" | "fwd";
  from: string;
  v6: boolean;
  /** Ports named in "To"; absent when the rule is for any port or only names an app profile. */
  ports?: PortRange[];
  protocol?: "tcp" | "udp";
  /** Application profile name, "(OpenSSH)"; its ports are only known when also printed. */
  app?: string;
  raw: string;
}

export interface UfwStatus {
  tool: "ufw";
  active: boolean;
  logging?: string;
  defaultInputPolicy?: Policy;
  defaultOutgoingPolicy?: Policy;
  /** Policy for routed (forwarded) traffic: what ufw-docker applies to published ports. */
  defaultRoutedPolicy?: Policy;
  rules: UfwRule[];
}

function ufwPolicy(word: string | undefined): Policy | undefined {
  if (word === "allow") return "accept";
  if (word === "deny") return "drop";
  if (word === "reject") return "reject";
  return undefined;
}

/** Parses `ufw status` and `ufw status verbose` (rule lists in both, defaults in verbose only). */
export function parseUfwStatus(text: string): UfwStatus {
  const lines = text.split(/\r?\n/);
  const status: UfwStatus = {
    tool: "ufw",
    active: /^Status:\s*active/m.test(text),
    rules: [],
  };
  const logging = /^Logging:\s*(.+)$/m.exec(text)?.[1]?.trim();
  if (logging) status.logging = logging;
  const defaults = /^Default:\s*(.+)$/m.exec(text)?.[1] ?? "";
  for (const m of defaults.matchAll(/(\w+) \((incoming|outgoing|routed)\)/g)) {
    const policy = ufwPolicy(m[1]);
    if (!policy) continue;
    if (m[2] === "incoming") status.defaultInputPolicy = policy;
    else if (m[2] === "outgoing") status.defaultOutgoingPolicy = policy;
    else status.defaultRoutedPolicy = policy;
  }

  let inTable = false;
  for (const line of lines) {
    if (/^To\s+Action\s+From/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable || line.trim() === "" || /^--/.test(line.trim())) continue;
    const m = /^(.+?)\s+(ALLOW|DENY|REJECT|LIMIT)(?:\s+(IN|OUT|FWD))?\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const to = (m[1] ?? "").trim();
    const from = (m[4] ?? "").replace(/\s+#.*$/, "").trim();
    const rule: UfwRule = {
      to,
      action: (m[2] ?? "").toLowerCase() as UfwRule["action"],
      direction: (m[3] ?? "IN").toLowerCase() as UfwRule["direction"],
      from,
      v6: /\(v6\)/.test(to) || /\(v6\)/.test(from),
      raw: line.trimEnd(),
    };
    // "22/tcp (OpenSSH (v6))": port, protocol, app; "8000:8100/tcp"; "80,443/tcp"; "OpenSSH".
    const portSpec = /(?:^|\s)(\d+(?::\d+)?(?:,\d+(?::\d+)?)*)(?:\/(tcp|udp))?(?=\s|$)/.exec(to);
    if (portSpec) {
      const ports = parsePortList(portSpec[1] ?? "");
      if (ports) rule.ports = ports;
      if (portSpec[2]) rule.protocol = portSpec[2] as "tcp" | "udp";
    }
    // "(OpenSSH)" / "(OpenSSH (v6))" after a port in verbose output; a bare "OpenSSH" otherwise.
    const app = /\(([^()]+?)(?: \(v6\))?\)/.exec(to)?.[1];
    if (app && app !== "v6") rule.app = app;
    else if (!portSpec && /^[A-Za-z]/.test(to) && !/^Anywhere/.test(to)) {
      rule.app = to.replace(/\s*\(v6\)$/, "");
    }
    status.rules.push(rule);
  }
  return status;
}

/**
 * ufw and Docker: ufw's chains hang off INPUT and, for routed traffic, off FORWARD *after* Docker's
 * own jumps, so a plain ufw never sees published ports (the well-known "Docker bypasses ufw").
 * Route rules ("ALLOW FWD", `ufw route allow ...`) only matter for published ports when something
 * like ufw-docker makes DOCKER-USER jump into ufw-user-forward; we take their presence as the sign
 * of that setup. ufw-docker then drops new connections that no route rule allows, except from
 * private (RFC 1918) source addresses, which it returns to Docker: "restricted", not "blocked".
 * Route rules match the container port (they see the packet after DNAT), as ufw-docker documents.
 */
function evaluateUfw(status: UfwStatus, port: PortCheck): Evaluation {
  if (!status.active) return { verdict: "open", reason: "ufw is inactive" };
  const routeRules = status.rules.filter((r) => r.direction === "fwd" && !r.v6);
  if (routeRules.length === 0) {
    return {
      verdict: "open",
      reason:
        "ufw filters incoming traffic to the host, but Docker-published ports are forwarded and Docker's rules accept them before ufw's (unless ufw-docker or custom DOCKER-USER rules are installed: check `iptables -S DOCKER-USER`)",
    };
  }
  for (const rule of routeRules) {
    if (rule.protocol === "udp") continue;
    const portMatches = rule.ports
      ? rule.ports.some((r) => port.containerPort >= r.from && port.containerPort <= r.to)
      : !rule.app; // no port and no app profile: any port
    if (!portMatches) continue;
    const everyone = /^Anywhere/.test(rule.from);
    if (rule.action === "allow" || rule.action === "limit") {
      if (everyone)
        return { verdict: "open", reason: `allowed by ufw route rule: ${rule.raw.trim()}` };
    } else if (everyone) {
      return { verdict: "blocked", reason: `denied by ufw route rule: ${rule.raw.trim()}` };
    }
  }
  // ufw-docker's own DOCKER-USER rules drop what ufw-user-forward did not accept, whatever ufw's
  // routed default says (that default lives in chains Docker's traffic never reaches).
  return {
    verdict: "restricted",
    reason: `no ufw route rule allows container port ${port.containerPort}, so ufw-docker drops it except from private networks; allow it with \`ufw route allow proto tcp from any to any port ${port.containerPort}\``,
  };
}

// ---------------------------------------------------------------------------------------------
// firewalld

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
function evaluateFirewalld(zones: FirewalldZones): Evaluation {
  if (!zones.active) return { verdict: "open", reason: "firewalld is not running" };
  const docker = zones.zones.find((z) => z.name === "docker");
  return {
    verdict: "open",
    reason:
      "firewalld zones filter connections to the host; Docker-published ports are DNATed and forwarded, which firewalld accepts" +
      (docker ? ` (Docker's bridges are in zone "docker", target ${docker.target ?? "?"})` : ""),
  };
}

// ---------------------------------------------------------------------------------------------
// Dispatch

export type ParsedFirewall = IptablesRuleset | NftRuleset | UfwStatus | FirewalldZones;

/** Recognises which tool printed the text and parses it; undefined when none is recognised. */
export function parseFirewallOutput(text: string): ParsedFirewall | undefined {
  if (/^Status:\s*(active|inactive)/m.test(text)) return parseUfwStatus(text);
  if (/^table\s+(ip|ip6|inet|arp|bridge|netdev)\s+\S+\s*{/m.test(text))
    return parseNftRuleset(text);
  if (/^(\*\w+|:\S+ \S+ \[|-[PNA] \S+|Chain \S+ \()/m.test(text)) return parseIptables(text);
  if (/^\S+.*\n\s+target:/m.test(text) || /FirewallD is not running/i.test(text)) {
    return parseFirewallCmd(text);
  }
  return undefined;
}

/** A published port: a number means the same port on host and container (`-p 8080:8080`). */
export type PublishedPort = number | { host: number; container: number };

export interface PortVerdict extends Evaluation {
  hostPort: number;
  containerPort: number;
}

/**
 * For each published port, whether an outside client's new TCP connection would get through:
 * "open", "blocked" (dropped for every client), or "restricted" (dropped for some clients, by
 * source address or interface, or the rules depend on facts the listing does not show).
 */
export function checkPublishedPorts(
  parsed: ParsedFirewall,
  ports: readonly PublishedPort[],
): PortVerdict[] {
  return ports.map((p) => {
    const port: PortCheck =
      typeof p === "number"
        ? { hostPort: p, containerPort: p }
        : { hostPort: p.host, containerPort: p.container };
    let result: Evaluation;
    switch (parsed.tool) {
      case "iptables":
        result = evaluateIptables(parsed, port);
        break;
      case "nftables":
        result = evaluateNft(parsed, port);
        break;
      case "ufw":
        result = evaluateUfw(parsed, port);
        break;
      case "firewalld":
        result = evaluateFirewalld(parsed);
        break;
    }
    return { ...port, ...result };
  });
}

/** Host ports that the firewall would drop for every outside client. */
export function portsBlocked(parsed: ParsedFirewall, ports: readonly PublishedPort[]): number[] {
  return checkPublishedPorts(parsed, ports)
    .filter((v) => v.verdict === "blocked")
    .map((v) => v.hostPort);
}

/** HostFacts' firewall section from a parsed listing and the ports the plan will publish. */
export function firewallFacts(
  parsed: ParsedFirewall,
  ports: readonly PublishedPort[],
): FirewallFacts {
  const verdicts = checkPublishedPorts(parsed, ports);
  const notes = verdicts
    .filter((v) => v.verdict !== "open")
    .map((v) => `port ${v.hostPort}: ${v.verdict}, ${v.reason}`);
  return {
    tool: parsed.tool,
    active: parsed.active,
    blockedPorts: verdicts.filter((v) => v.verdict === "blocked").map((v) => v.hostPort),
    ...(notes.length > 0 ? { detail: notes.join("; ") } : {}),
  };
}

export type { Evaluation };
