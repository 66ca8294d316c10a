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
 * Details: netfilter.ts (the iptables/nft rule model), iptables.ts, nft.ts, ufw.ts, firewalld.ts.
 */
import type { FirewallFacts } from "../facts.js";
import { evaluateIptables, parseIptables, type IptablesRuleset } from "./iptables.js";
import type { Evaluation, PortCheck } from "./netfilter.js";
import { evaluateNft, parseNftRuleset, type NftRuleset } from "./nft.js";
import { evaluateUfw, parseUfwStatus, type UfwStatus } from "./ufw.js";
import { evaluateFirewalld, parseFirewallCmd, type FirewalldZones } from "./firewalld.js";

export { parseIptables, type IptablesRuleset } from "./iptables.js";
export { parseNftRuleset, type NftRuleset } from "./nft.js";
export { parseUfwStatus, type UfwRule, type UfwStatus } from "./ufw.js";
export { parseFirewallCmd, type FirewalldZone, type FirewalldZones } from "./firewalld.js";
export type { PacketRule, Policy, PortRange, RuleChain, Verdict } from "./netfilter.js";

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
