import type { FirewallFacts } from "../facts.js";
import { type PublishedPort, firewallFacts, parseFirewallOutput } from "./parse-firewall.js";
import type { CommandRunner } from "../runner.js";

/** The seed's mappings: what a default environment publishes. */
export const DEFAULT_PUBLISHED: PublishedPort[] = [
  { host: 50022, container: 22 },
  { host: 1104, container: 1104 },
  { host: 8080, container: 8080 },
];

async function output(
  run: CommandRunner,
  program: string,
  args: string[],
): Promise<string | undefined> {
  const r = await run(program, args);
  return r.found && r.exitCode === 0 && r.stdout.trim() !== "" ? r.stdout : undefined;
}

/**
 * Which firewall front-end manages this host and whether it would drop inbound connections to
 * the published ports (R8). A front-end that is installed and active speaks for the rules
 * (ufw, firewalld); otherwise the raw iptables or nftables rule set is read. Reading rules needs
 * root: without it the answer is "unknown", never a guess.
 */
export async function probeFirewall(
  run: CommandRunner,
  ports: readonly PublishedPort[] = DEFAULT_PUBLISHED,
): Promise<FirewallFacts> {
  const candidates: Array<() => Promise<string | undefined>> = [
    async () => {
      const text = await output(run, "ufw", ["status", "verbose"]);
      return text && /^Status:\s*active/m.test(text) ? text : undefined;
    },
    async () => {
      const state = await output(run, "firewall-cmd", ["--state"]);
      return state?.trim() === "running"
        ? output(run, "firewall-cmd", ["--list-all-zones"])
        : undefined;
    },
    () => output(run, "iptables-save", []),
    () => output(run, "nft", ["list", "ruleset"]),
  ];
  for (const read of candidates) {
    const text = await read();
    const parsed = text === undefined ? undefined : parseFirewallOutput(text);
    if (parsed) return firewallFacts(parsed, ports);
  }
  return {
    tool: "none",
    active: false,
    blockedPorts: [],
    detail: "no firewall rules could be read (not installed, or not root)",
  };
}
