import type { HostFacts } from "../host/facts.js";
import { DEFAULT_PORTS } from "../plan/options.js";
import { type DoctorCheck, fail, pass, warn } from "./types.js";

const PURPOSE: Record<number, string> = {
  [DEFAULT_PORTS.ssh]: "SSH",
  [DEFAULT_PORTS.editor]: "editor",
  [DEFAULT_PORTS.http]: "HTTP",
};

export function checkPorts(facts: HostFacts): DoctorCheck[] {
  const held = facts.portsInUse.filter((u) => PURPOSE[u.port] !== undefined);
  if (held.length === 0) {
    return [pass("ports", "Default ports", `${Object.keys(PURPOSE).join(", ")} are free`)];
  }
  const who = held.map(
    (u) =>
      `${u.port} (${PURPOSE[u.port]}) by ${u.by === "host" ? "a host process" : `${u.by} ${u.detail ?? ""}`.trim()}`,
  );
  return [
    warn(
      "ports",
      "Default ports",
      `in use: ${who.join(", ")}`,
      "up moves a taken default to the next free port and says so; or choose with --ssh-port/--editor-port/--http-port.",
    ),
  ];
}

function openCommand(tool: string, port: number): string {
  switch (tool) {
    case "ufw":
      return `sudo ufw route allow proto tcp from any to any port ${port}`;
    case "firewalld":
      return `sudo firewall-cmd --permanent --zone=docker --add-port=${port}/tcp && sudo firewall-cmd --reload`;
    default:
      // DOCKER-USER sees packets after DNAT: match the port the client dialled.
      return `sudo iptables -I DOCKER-USER -p tcp -m conntrack --ctorigdstport ${port} -j ACCEPT`;
  }
}

export function checkFirewall(facts: HostFacts): DoctorCheck[] {
  const f = facts.firewall;
  const title = "Firewall";
  if (f?.tool === "unknown") {
    return [
      warn(
        "firewall",
        title,
        `not checked: ${f.detail ?? "it cannot be read from here"}`,
        `Check on that host that inbound connections to the published ports are allowed (or run 'modelbox-dev doctor' there as root).`,
      ),
    ];
  }
  if (!f || f.tool === "none") {
    return [
      warn(
        "firewall",
        title,
        f?.detail ?? "not checked",
        "Run doctor as root to read the firewall rules.",
      ),
    ];
  }
  if (f.blockedPorts.length > 0) {
    return [
      fail(
        "firewall",
        title,
        `${f.tool} would drop inbound connections to ${f.blockedPorts.join(", ")}${f.detail ? ` (${f.detail})` : ""}`,
        f.blockedPorts.map((p) => openCommand(f.tool, p)).join("; "),
      ),
    ];
  }
  if (f.detail)
    return [
      warn(
        "firewall",
        title,
        `${f.tool}: ${f.detail}`,
        "Make sure the clients that need the ports are allowed.",
      ),
    ];
  return [
    pass(
      "firewall",
      title,
      `${f.tool}${f.active ? " active" : " inactive"}: published ports are not dropped`,
    ),
  ];
}
