/**
 * A small model of netfilter rules shared by the iptables and nft parsers, and the evaluation that
 * decides whether a Docker-published port is reachable from outside. Pure.
 *
 * Why FORWARD and not INPUT: a connection to a published host port is rewritten in nat PREROUTING
 * (Docker's DNAT to <container ip>:<container port>) and then routed to the bridge, so the filter
 * table sees it in FORWARD, never in INPUT. An INPUT policy of DROP therefore does not block it.
 * In FORWARD, Docker jumps first to DOCKER-USER (the one chain meant for the admin's rules), then to
 * its own chains (DOCKER, DOCKER-FORWARD, DOCKER-ISOLATION-*, ...) which accept traffic to every
 * published port. So what can block a published port is: a DROP/REJECT in DOCKER-USER (or in a chain
 * it jumps to, as ufw-docker does), a rule placed in FORWARD before Docker's jumps, or - with
 * nftables - another table's forward-hook chain: an accept in one base chain does not stop the
 * packet from being evaluated by the next base chain, a drop anywhere is final.
 * After DNAT, "--dport" and "tcp dport" see the CONTAINER port; only conntrack's original
 * destination (--ctorigdstport, "ct original proto-dst") sees the host port.
 * With dockerd --iptables=false there are no Docker chains, and FORWARD's own rules and policy
 * decide, which the same walk covers. We evaluate outside clients over IPv4 only: connections
 * from the host itself to 127.0.0.1 go through docker-proxy and INPUT on lo, not through here.
 */

export type Policy = "accept" | "drop" | "reject";

export interface Negatable<T> {
  value: T;
  negated: boolean;
}

export interface PortRange {
  from: number;
  to: number;
}

export type RuleAction =
  | "accept"
  | "drop"
  | "reject"
  | "return"
  | "jump"
  | "goto"
  /** Non-terminal (LOG, counter, MARK, masquerade, DNAT in nat...): evaluation continues. */
  | "continue"
  /** A verdict we cannot tell statically (verdict maps, queue): may drop. */
  | "unknown";

/** One rule, as far as it matters for an inbound TCP connection to a published port. */
export interface PacketRule {
  action: RuleAction;
  /** Chain name for jump/goto; the raw target name for "continue"/"unknown". */
  target?: string;
  protocol?: Negatable<string>;
  source?: Negatable<string>;
  destination?: Negatable<string>;
  inInterface?: Negatable<string>;
  outInterface?: Negatable<string>;
  /** Destination ports after DNAT, i.e. the container port. */
  destinationPorts?: Negatable<PortRange[]>;
  sourcePorts?: Negatable<PortRange[]>;
  /** Original destination port (before DNAT), i.e. the host port. */
  originalDestinationPorts?: Negatable<PortRange[]>;
  /** Conntrack states, upper case: NEW, ESTABLISHED, RELATED, INVALID, DNAT... */
  states?: Negatable<string[]>;
  /** Matches connection-opening packets (tcp SYN); negated: only later packets. */
  syn?: Negatable<boolean>;
  /** Only matches IPv6 packets (nft "ip6 ..." in an inet table); we evaluate IPv4 clients. */
  ipv6Only?: boolean;
  /** Conditions this model does not understand: the rule may or may not match. */
  unknown: string[];
  /** The rule as printed, for reasons shown to the user. */
  raw: string;
}

export interface RuleChain {
  name: string;
  /** Set on built-in / base chains only. */
  policy?: Policy;
  rules: PacketRule[];
}

export type Verdict = "open" | "blocked" | "restricted";

export interface PortCheck {
  hostPort: number;
  containerPort: number;
}

export interface Evaluation {
  verdict: Verdict;
  reason: string;
}

export type Match = "yes" | "no" | "maybe";

const DOCKER_INTERFACE = /^(docker0|docker_gwbridge|docker\+|br-.*|veth.*)$/;

/** Docker's own chains accept published ports; DOCKER-USER is the admin's and is evaluated. */
export function isDockerManagedChain(name: string): boolean {
  return /^DOCKER(-|$)/.test(name) && name !== "DOCKER-USER";
}

function inRanges(port: number, ranges: PortRange[]): boolean {
  return ranges.some((r) => port >= r.from && port <= r.to);
}

function negate(m: Match, negated: boolean): Match {
  if (!negated || m === "maybe") return m;
  return m === "yes" ? "no" : "yes";
}

function anyAddress(a: string): boolean {
  return a === "0.0.0.0/0" || a === "::/0" || a === "anywhere" || a === "*";
}

/** Whether a rule matches the first packet of an outside client's TCP connection to the port. */
export function matchRule(rule: PacketRule, port: PortCheck): Match {
  if (rule.ipv6Only) return "no";
  const parts: Match[] = [];
  if (rule.protocol) {
    const p = rule.protocol.value.toLowerCase();
    const m: Match = p === "tcp" || p === "6" || p === "all" || p === "0" ? "yes" : "no";
    parts.push(negate(m, rule.protocol.negated));
  }
  if (rule.destinationPorts) {
    const m: Match = inRanges(port.containerPort, rule.destinationPorts.value) ? "yes" : "no";
    parts.push(negate(m, rule.destinationPorts.negated));
  }
  if (rule.originalDestinationPorts) {
    const m: Match = inRanges(port.hostPort, rule.originalDestinationPorts.value) ? "yes" : "no";
    parts.push(negate(m, rule.originalDestinationPorts.negated));
  }
  // A client's source port is ephemeral: unknowable.
  if (rule.sourcePorts) parts.push("maybe");
  for (const address of [rule.source, rule.destination]) {
    if (!address) continue;
    parts.push(anyAddress(address.value) ? negate("yes", address.negated) : "maybe");
  }
  if (rule.inInterface) {
    // Outside traffic arrives on the host's uplink, never on a Docker bridge or lo; which name the
    // uplink has we do not know.
    const name = rule.inInterface.value;
    const m: Match =
      name === "*" || name === "any" || name === "+"
        ? "yes"
        : DOCKER_INTERFACE.test(name) || name === "lo"
          ? "no"
          : "maybe";
    parts.push(negate(m, rule.inInterface.negated));
  }
  if (rule.outInterface) {
    // It leaves on the container's bridge: docker0 for the default network (what we assume),
    // br-<id> for user networks.
    const name = rule.outInterface.value;
    const m: Match =
      name === "*" || name === "any" || name === "+" || name === "docker0" || name === "br-+"
        ? "yes"
        : DOCKER_INTERFACE.test(name)
          ? "maybe"
          : "no";
    parts.push(negate(m, rule.outInterface.negated));
  }
  if (rule.states) {
    // The connection's first packet is NEW; after Docker's DNAT it is also in state DNAT.
    const m: Match = rule.states.value.some((s) => s === "NEW" || s === "DNAT") ? "yes" : "no";
    parts.push(negate(m, rule.states.negated));
  }
  if (rule.syn) parts.push(negate("yes", rule.syn.negated));
  if (rule.unknown.length > 0) parts.push("maybe");
  if (parts.includes("no")) return "no";
  if (parts.includes("maybe")) return "maybe";
  return "yes";
}

interface Flow {
  /** What happens to a client that matches no "maybe" rule. */
  end: "accept" | "drop" | "fallthrough";
  /** The rule (or jump) that decided `end`. */
  endReason?: string;
  /** Some clients (by address/interface) may be accepted or returned along the way. */
  someAllowed: boolean;
  /** Some clients may be dropped along the way; dropReason names the first such rule. */
  someDropped: boolean;
  dropReason?: string;
}

const MAX_DEPTH = 32;

function walk(
  chains: ReadonlyMap<string, RuleChain>,
  name: string,
  port: PortCheck,
  depth: number,
): Flow {
  const chain = chains.get(name);
  const flow: Flow = { end: "fallthrough", someAllowed: false, someDropped: false };
  if (!chain || depth > MAX_DEPTH) return flow;
  const mayDrop = (why: string | undefined) => {
    flow.someDropped = true;
    flow.dropReason ??= why;
  };

  for (const rule of chain.rules) {
    const m = matchRule(rule, port);
    if (m === "no") continue;
    const definite = m === "yes";
    const where = `${name}: ${rule.raw}`;
    switch (rule.action) {
      case "accept":
        if (definite) return { ...flow, end: "accept", endReason: where };
        flow.someAllowed = true;
        break;
      case "drop":
      case "reject":
        if (definite) return { ...flow, end: "drop", endReason: where };
        mayDrop(where);
        break;
      case "return":
        if (definite) return flow;
        flow.someAllowed = true;
        break;
      case "unknown":
        mayDrop(where);
        break;
      case "jump":
      case "goto": {
        const target = rule.target ?? "";
        if (isDockerManagedChain(target)) {
          if (definite) {
            const endReason = `reaches Docker's own chains (${name} → ${target}), which accept published ports`;
            return { ...flow, end: "accept", endReason };
          }
          flow.someAllowed = true;
          break;
        }
        const sub = walk(chains, target, port, depth + 1);
        flow.someAllowed ||= sub.someAllowed;
        if (sub.someDropped) mayDrop(sub.dropReason);
        if (definite) {
          if (sub.end !== "fallthrough") return { ...flow, end: sub.end, endReason: sub.endReason };
          if (rule.action === "goto") return flow;
        } else if (sub.end === "drop") {
          mayDrop(sub.endReason);
        } else if (sub.end === "accept") {
          flow.someAllowed = true;
        }
        break;
      }
      case "continue":
        break;
    }
  }
  return flow;
}

/**
 * Evaluates one base chain (filter FORWARD, or an nft forward-hook chain) for a published port:
 * follows jumps, treats Docker's own chains as accepting, and applies the chain policy at its end.
 */
export function evaluateBaseChain(
  chains: ReadonlyMap<string, RuleChain>,
  baseChain: string,
  port: PortCheck,
): Evaluation {
  const flow = walk(chains, baseChain, port, 0);
  const policy = chains.get(baseChain)?.policy ?? "accept";
  const end = flow.end === "fallthrough" ? (policy === "accept" ? "accept" : "drop") : flow.end;
  const endReason =
    flow.end === "fallthrough"
      ? `${baseChain} policy ${policy.toUpperCase()}`
      : (flow.endReason ?? "");
  if (end === "drop") {
    return flow.someAllowed
      ? {
          verdict: "restricted",
          reason: `dropped by ${endReason}, unless a source/interface-specific rule before it lets the client through`,
        }
      : { verdict: "blocked", reason: `dropped by ${endReason}` };
  }
  return flow.someDropped
    ? {
        verdict: "restricted",
        reason: `dropped for some clients (by source or interface) by ${flow.dropReason ?? "?"}; others are accepted (${endReason})`,
      }
    : { verdict: "open", reason: `accepted: ${endReason}` };
}

export { parsePortList } from "./port-list.js";
