/**
 * ufw: `ufw status [verbose]` parsed, and what its rules mean for Docker-published ports (see
 * parse-firewall.ts for why only route rules can matter).
 */
import {
  parsePortList,
  type Evaluation,
  type Policy,
  type PortCheck,
  type PortRange,
} from "./netfilter.js";

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
export function evaluateUfw(status: UfwStatus, port: PortCheck): Evaluation {
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
