import { describe, expect, it } from "vitest";
import { firewallFactsSchema } from "../../../../src/host/facts.js";
import { ruleFromNft } from "../../../../src/host/firewall/nft.js";
import {
  checkPublishedPorts,
  firewallFacts,
  parseFirewallCmd,
  parseFirewallOutput,
  parseIptables,
  parseNftRuleset,
  parseUfwStatus,
  portsBlocked,
  type ParsedFirewall,
  type PublishedPort,
} from "../../../../src/host/firewall/parse-firewall.js";
import { recordedIn } from "../../../support/recorded.js";

const recorded = recordedIn("firewall");

/** The seed's three ports: ssh 50022→22, editor 1104, HTTP flowunit 8080. */
const MODELBOX_PORTS: PublishedPort[] = [{ host: 50022, container: 22 }, 1104, 8080];

const verdicts = (parsed: ParsedFirewall, ports = MODELBOX_PORTS) =>
  checkPublishedPorts(parsed, ports).map((v) => v.verdict);

/** Inserts lines into a recorded listing right after the first line matching `after`. */
function insertAfter(text: string, after: RegExp, lines: string[]): string {
  const all = text.split("\n");
  const at = all.findIndex((l) => after.test(l));
  if (at < 0) throw new Error(`no line matches ${after}`);
  all.splice(at + 1, 0, ...lines);
  return all.join("\n");
}

describe("iptables -S (fresh Docker host, pre-28 chains)", () => {
  const text = recorded("iptables-S-fresh-docker-host.txt");

  it("parses policies, chains and rules", () => {
    const fw = parseIptables(text);
    expect(fw.format).toBe("rules");
    expect(fw.defaultInputPolicy).toBe("accept");
    expect(fw.defaultForwardPolicy).toBe("drop");
    expect(fw.active).toBe(true); // FORWARD DROP (set by Docker itself)
    const chains = fw.tables.filter ?? [];
    expect(chains.map((c) => c.name)).toEqual([
      "INPUT",
      "FORWARD",
      "OUTPUT",
      "DOCKER",
      "DOCKER-ISOLATION-STAGE-1",
      "DOCKER-ISOLATION-STAGE-2",
      "DOCKER-USER",
    ]);
    const forward = chains.find((c) => c.name === "FORWARD");
    expect(forward?.rules).toHaveLength(6);
    expect(forward?.rules[2]).toMatchObject({
      action: "accept",
      outInterface: { value: "docker0", negated: false },
      states: { value: ["RELATED", "ESTABLISHED"], negated: false },
    });
    expect(forward?.rules[4]).toMatchObject({
      inInterface: { value: "docker0", negated: false },
      outInterface: { value: "docker0", negated: true },
    });
  });

  it("the FORWARD DROP policy does not block published ports: Docker's chains accept them", () => {
    const result = checkPublishedPorts(parseIptables(text), MODELBOX_PORTS);
    expect(result.map((v) => v.verdict)).toEqual(["open", "open", "open"]);
    expect(result[0]).toMatchObject({ hostPort: 50022, containerPort: 22 });
    expect(result[0]?.reason).toMatch(/Docker's own chains/);
    expect(portsBlocked(parseIptables(text), MODELBOX_PORTS)).toEqual([]);
  });

  it("an INPUT DROP policy does not block them either (they are forwarded, not input)", () => {
    const fw = parseIptables(text.replace("-P INPUT ACCEPT", "-P INPUT DROP"));
    expect(fw.defaultInputPolicy).toBe("drop");
    expect(portsBlocked(fw, MODELBOX_PORTS)).toEqual([]);
  });

  it("a DOCKER-USER drop on --dport matches the CONTAINER port after DNAT", () => {
    const fw = parseIptables(
      insertAfter(text, /^-A FORWARD -i docker0 -o docker0/, [
        "-A DOCKER-USER -p tcp -m tcp --dport 22 -j DROP",
        "-A DOCKER-USER -p tcp -m tcp --dport 8080 -j DROP",
      ]),
    );
    expect(verdicts(fw)).toEqual(["blocked", "open", "blocked"]);
    expect(portsBlocked(fw, MODELBOX_PORTS)).toEqual([50022, 8080]);
    expect(checkPublishedPorts(fw, [8080])[0]?.reason).toContain("--dport 8080 -j DROP");
    // --dport 50022 would not match: the host port is gone after DNAT.
    const hostPortRule = parseIptables(
      insertAfter(text, /^-A FORWARD -i docker0 -o docker0/, [
        "-A DOCKER-USER -p tcp -m tcp --dport 50022 -j DROP",
      ]),
    );
    expect(portsBlocked(hostPortRule, MODELBOX_PORTS)).toEqual([]);
  });

  it("--ctorigdstport matches the HOST port", () => {
    const fw = parseIptables(
      insertAfter(text, /^-A FORWARD -i docker0 -o docker0/, [
        "-A DOCKER-USER -p tcp -m conntrack --ctorigdstport 50022 -j REJECT --reject-with icmp-port-unreachable",
      ]),
    );
    expect(portsBlocked(fw, MODELBOX_PORTS)).toEqual([50022]);
  });

  it("established-only accepts do not let a new connection past a final DROP", () => {
    const fw = parseIptables(
      insertAfter(text, /^-A FORWARD -i docker0 -o docker0/, [
        "-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        "-A DOCKER-USER -j DROP",
      ]),
    );
    expect(verdicts(fw)).toEqual(["blocked", "blocked", "blocked"]);
  });

  it("source/interface-limited rules make a port restricted, not blocked", () => {
    const fw = parseIptables(
      insertAfter(text, /^-A FORWARD -i docker0 -o docker0/, [
        '-A DOCKER-USER -i eth0 ! -s 192.168.1.0/24 -m comment --comment "LAN only" -j DROP',
      ]),
    );
    expect(verdicts(fw)).toEqual(["restricted", "restricted", "restricted"]);
    expect(portsBlocked(fw, MODELBOX_PORTS)).toEqual([]);
  });
});

describe("iptables-save (v1.6.1, 2019 fresh host)", () => {
  const text = recorded("iptables-save-1.6.1-fresh-docker-host-2019.txt");

  it("reads both tables with their policies", () => {
    const fw = parseIptables(text);
    expect(fw.format).toBe("save");
    expect(Object.keys(fw.tables)).toEqual(["nat", "filter"]);
    expect(fw.tables.nat?.find((c) => c.name === "PREROUTING")?.rules[0]).toMatchObject({
      action: "jump",
      target: "DOCKER",
    });
    expect(fw.defaultForwardPolicy).toBe("drop");
    expect(fw.defaultInputPolicy).toBe("accept");
    expect(fw.tables.filter?.find((c) => c.name === "DOCKER-USER")?.rules).toEqual([
      { action: "return", unknown: [], raw: "-A DOCKER-USER -j RETURN" },
    ]);
  });

  it("published ports are open", () => {
    expect(verdicts(parseIptables(text))).toEqual(["open", "open", "open"]);
  });

  // ufw-docker's documented after.rules, as they appear in iptables-save once installed.
  const ufwDocker = (userForward: string[]) =>
    insertAfter(text, /^:DOCKER-USER/, [
      ":ufw-user-forward - [0:0]",
      ":ufw-docker-logging-deny - [0:0]",
    ]).replace(
      "-A DOCKER-USER -j RETURN\nCOMMIT",
      [
        ...userForward,
        "-A DOCKER-USER -j ufw-user-forward",
        "-A DOCKER-USER -s 10.0.0.0/8 -j RETURN",
        "-A DOCKER-USER -s 172.16.0.0/12 -j RETURN",
        "-A DOCKER-USER -s 192.168.0.0/16 -j RETURN",
        "-A DOCKER-USER -p udp -m udp --sport 53 --dport 1024:65535 -j RETURN",
        "-A DOCKER-USER -d 192.168.0.0/16 -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ufw-docker-logging-deny",
        "-A DOCKER-USER -d 10.0.0.0/8 -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ufw-docker-logging-deny",
        "-A DOCKER-USER -d 172.16.0.0/12 -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ufw-docker-logging-deny",
        "-A DOCKER-USER -j RETURN",
        '-A ufw-docker-logging-deny -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "[UFW DOCKER BLOCK] "',
        "-A ufw-docker-logging-deny -j DROP",
        "COMMIT",
      ].join("\n"),
    );

  it("with ufw-docker: ports not allowed by a route rule are restricted; allowed ones open", () => {
    const fw = parseIptables(
      ufwDocker(["-A ufw-user-forward -p tcp -m tcp --dport 1104 -j ACCEPT"]),
    );
    expect(fw.active).toBe(true);
    const result = checkPublishedPorts(fw, MODELBOX_PORTS);
    expect(result.map((v) => v.verdict)).toEqual(["restricted", "open", "restricted"]);
    expect(result[2]?.reason).toContain("ufw-docker-logging-deny");
  });
});

describe("iptables -L -n -v (Docker 28 chains, nf_tables backend)", () => {
  const text = recorded("iptables-L-n-v-docker28-docker-forward-nft-backend.txt");

  it("reads the column layout, protocol 0 and negated interfaces", () => {
    const fw = parseIptables(text);
    expect(fw.format).toBe("list");
    expect(fw.defaultInputPolicy).toBe("accept");
    expect(fw.defaultForwardPolicy).toBe("accept");
    // Only Docker's own chains drop anything here.
    expect(fw.active).toBe(false);
    const chains = fw.tables.filter ?? [];
    expect(chains.map((c) => c.name)).toContain("DOCKER-FORWARD");
    expect(chains.find((c) => c.name === "DOCKER")?.rules[0]).toMatchObject({
      action: "drop",
      inInterface: { value: "docker0", negated: true },
      outInterface: { value: "docker0", negated: false },
    });
    expect(chains.find((c) => c.name === "DOCKER-CT")?.rules[0]).toMatchObject({
      action: "accept",
      states: { value: ["RELATED", "ESTABLISHED"], negated: false },
    });
    expect(chains.find((c) => c.name === "DOCKER-USER")?.rules).toEqual([]);
  });

  it("published ports are open; the DOCKER chain's drop is Docker's own", () => {
    const result = checkPublishedPorts(parseIptables(text), MODELBOX_PORTS);
    expect(result.map((v) => v.verdict)).toEqual(["open", "open", "open"]);
    expect(result[0]?.reason).toContain("DOCKER-FORWARD");
  });

  it("a DOCKER-USER row with tcp dpt: blocks that container port", () => {
    const fw = parseIptables(
      insertAfter(text, /^Chain DOCKER-USER/, [
        " pkts bytes target     prot opt in     out     source               destination         ",
        "    0     0 DROP       6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:8080",
      ]).replace(/(Chain DOCKER-USER[^\n]*\n)[^\n]*\n/, "$1"),
    );
    expect(portsBlocked(fw, MODELBOX_PORTS)).toEqual([8080]);
  });
});

describe("nft list ruleset", () => {
  it("pre-28 chains without warning comments", () => {
    const fw = parseNftRuleset(recorded("nft-list-ruleset-docker-pre28-no-warnings.txt"));
    expect(fw.tables.map((t) => `${t.family} ${t.name}`)).toEqual(["ip nat", "ip filter"]);
    const nat = fw.tables[0]?.chains ?? [];
    expect(nat.find((c) => c.name === "OUTPUT")).toMatchObject({ hook: "output", priority: -100 });
    expect(nat.find((c) => c.name === "PREROUTING")).toMatchObject({
      hook: "prerouting",
      priority: -100,
      policy: "accept",
    });
    const forward = fw.tables[1]?.chains.find((c) => c.name === "FORWARD");
    expect(forward).toMatchObject({
      type: "filter",
      hook: "forward",
      priority: 0,
      policy: "accept",
    });
    expect(forward?.rules.map((r) => r.action)).toEqual([
      "jump",
      "jump",
      "accept",
      "jump",
      "accept",
      "accept",
    ]);
    expect(forward?.rules[2]).toMatchObject({
      outInterface: { value: "docker0", negated: false },
      states: { value: ["RELATED", "ESTABLISHED"], negated: false },
    });
    expect(fw.defaultForwardPolicy).toBe("accept");
    expect(fw.active).toBe(false);
    expect(verdicts(fw)).toEqual(["open", "open", "open"]);
  });

  it("iptables-nft compat expressions (xt match/target) with tab indentation", () => {
    const fw = parseNftRuleset(recorded("nft-list-ruleset-docker-xt-compat-tabs.txt"));
    expect(fw.tables.map((t) => t.name)).toEqual(["nat", "filter"]);
    const forward = fw.tables[1]?.chains.find((c) => c.name === "FORWARD");
    expect(forward?.rules[2]).toMatchObject({
      action: "accept",
      unknown: ['xt match "conntrack"'],
    });
    const postrouting = fw.tables[0]?.chains.find((c) => c.name === "POSTROUTING");
    expect(postrouting?.rules[0]?.action).toBe("continue"); // xt target "MASQUERADE"
    expect(verdicts(fw)).toEqual(["open", "open", "open"]);
  });

  const docker28 = recorded("nft-list-ruleset-docker28-iptables-nft.txt");

  it("Docker 28 with iptables-nft: ip and ip6 tables, warning comments skipped", () => {
    const fw = parseNftRuleset(docker28);
    expect(fw.tables.map((t) => `${t.family} ${t.name}`)).toEqual([
      "ip nat",
      "ip filter",
      "ip6 nat",
      "ip6 filter",
    ]);
    const docker = fw.tables[1]?.chains.find((c) => c.name === "DOCKER");
    expect(docker?.rules[0]).toMatchObject({
      action: "drop",
      inInterface: { value: "docker0", negated: true },
    });
    expect(fw.active).toBe(false);
    expect(verdicts(fw)).toEqual(["open", "open", "open"]);
  });

  it("another table's forward chain with policy drop blocks them: an accept is not final across base chains", () => {
    const extra = [
      "table inet filter {",
      "        chain forward {",
      "                type filter hook forward priority filter; policy drop;",
      "                ct state established,related accept",
      "                tcp dport 1104 accept",
      "        }",
      "}",
    ];
    const fw = parseNftRuleset(`${docker28}${extra.join("\n")}\n`);
    expect(fw.active).toBe(true);
    expect(fw.defaultForwardPolicy).toBe("drop");
    const result = checkPublishedPorts(fw, MODELBOX_PORTS);
    expect(result.map((v) => v.verdict)).toEqual(["blocked", "open", "blocked"]);
    expect(result[0]?.reason).toContain("table inet filter");
    // firewalld's way: accept every DNATed connection.
    const dnat = parseNftRuleset(
      `${docker28}${extra.join("\n").replace("tcp dport 1104 accept", "ct status dnat accept")}\n`,
    );
    expect(verdicts(dnat)).toEqual(["open", "open", "open"]);
  });
});

describe("ruleFromNft expressions beyond the recordings", () => {
  it.each([
    [
      "tcp flags & (fin|syn|rst|ack) == syn counter drop",
      { action: "drop", syn: { value: true, negated: false } },
    ],
    [
      'iifname "eth0" tcp dport != 22 drop',
      {
        inInterface: { value: "eth0", negated: false },
        destinationPorts: { value: [{ from: 22, to: 22 }], negated: true },
      },
    ],
    [
      "ct state vmap { established : accept, related : accept, invalid : drop }",
      { action: "continue", unknown: [] },
    ],
    ["ct state vmap { new : drop, established : accept }", { action: "drop" }],
    [
      'oifname "br-*" tcp dport 8000-8100 reject with tcp reset',
      {
        action: "reject",
        outInterface: { value: "br-+", negated: false },
        destinationPorts: { value: [{ from: 8000, to: 8100 }], negated: false },
      },
    ],
    ["tcp dport @allowed accept", { action: "accept", unknown: ["dport @allowed"] }],
  ] as const)("%s", (line, expected) => {
    expect(ruleFromNft(line)).toMatchObject(expected);
  });
});

describe("ufw status", () => {
  it("inactive", () => {
    const fw = parseUfwStatus(recorded("ufw-status-inactive.txt"));
    expect(fw).toEqual({ tool: "ufw", active: false, rules: [] });
    expect(verdicts(fw)).toEqual(["open", "open", "open"]);
  });

  const verbose = recorded("ufw-status-verbose-active-route-allow-fwd.txt");

  it("verbose with app profiles, route rules and v6 rows", () => {
    const fw = parseUfwStatus(verbose);
    expect(fw).toMatchObject({
      active: true,
      logging: "on (low)",
      defaultInputPolicy: "drop",
      defaultOutgoingPolicy: "accept",
      defaultRoutedPolicy: "drop",
    });
    expect(fw.rules.map((r) => [r.direction, r.action, r.ports?.[0]?.from, r.v6, r.app])).toEqual([
      ["in", "allow", 22, false, "OpenSSH"],
      ["in", "allow", 22, true, "OpenSSH"],
      ["fwd", "allow", 80, false, undefined],
      ["fwd", "allow", 443, false, undefined],
      ["fwd", "allow", 80, true, undefined],
      ["fwd", "allow", 443, true, undefined],
    ]);
    expect(fw.rules[2]).toMatchObject({ to: "80/tcp", protocol: "tcp", from: "Anywhere" });
  });

  it("with ufw-docker route rules: only route-allowed container ports are open", () => {
    const fw = parseUfwStatus(verbose);
    const result = checkPublishedPorts(fw, [...MODELBOX_PORTS, 80, { host: 8443, container: 443 }]);
    expect(result.map((v) => [v.hostPort, v.verdict])).toEqual([
      [50022, "restricted"], // "22/tcp ALLOW IN" is for the host's sshd, not the container
      [1104, "restricted"],
      [8080, "restricted"],
      [80, "open"],
      [8443, "open"],
    ]);
    expect(result[2]?.reason).toContain("ufw route allow proto tcp from any to any port 8080");
  });

  it("without route rules ufw does not see published ports at all", () => {
    const incomingOnly = verbose
      .split("\n")
      .filter((l) => !l.includes("FWD"))
      .join("\n");
    const result = checkPublishedPorts(parseUfwStatus(incomingOnly), MODELBOX_PORTS);
    expect(result.map((v) => v.verdict)).toEqual(["open", "open", "open"]);
    expect(result[0]?.reason).toMatch(/before ufw's/);
  });
});

describe("firewall-cmd", () => {
  it("the docker zone (firewalld >= 1.0, from --list-all-zones)", () => {
    const fw = parseFirewallCmd(recorded("firewall-cmd-docker-zone-from-list-all-zones.txt"));
    expect(fw.active).toBe(true);
    expect(fw.zones).toEqual([
      {
        name: "docker",
        active: true,
        isDefault: false,
        target: "ACCEPT",
        interfaces: ["br-07d0391e2b4b", "docker0"],
        sources: [],
        services: [],
        ports: [],
        forward: true,
        masquerade: false,
        forwardPorts: [],
        richRules: [],
      },
    ]);
    // The docker zone says nothing about the host's own inbound policy.
    expect(fw.defaultInputPolicy).toBeUndefined();
    const result = checkPublishedPorts(fw, MODELBOX_PORTS);
    expect(result.map((v) => v.verdict)).toEqual(["open", "open", "open"]);
    expect(result[0]?.reason).toContain('zone "docker", target ACCEPT');
  });

  it("public zone on CentOS 7 (pre-1.0): zone services do not govern published ports", () => {
    const fw = parseFirewallCmd(recorded("firewall-cmd-list-all-public-mailcow-centos7.txt"));
    expect(fw.zones[0]).toMatchObject({
      name: "public",
      active: true,
      target: "default",
      interfaces: ["eth0"],
      masquerade: false,
    });
    expect(fw.zones[0]?.forward).toBeUndefined();
    expect(fw.zones[0]?.services).toContain("https");
    expect(fw.zones[0]?.services).toHaveLength(13);
    expect(fw.defaultInputPolicy).toBe("reject");
    // 8080 and 1104 are not in the zone, yet published ports stay reachable.
    expect(verdicts(fw)).toEqual(["open", "open", "open"]);
  });

  it("zone ports and rich rules; firewalld not running", () => {
    const fw = parseFirewallCmd(
      'public (default, active)\n  target: default\n  ports: 8080/tcp 1000-1010/udp\n  rich rules: \n\trule family="ipv4" source address="10.0.0.0/8" accept\n',
    );
    expect(fw.zones[0]).toMatchObject({
      isDefault: true,
      richRules: ['rule family="ipv4" source address="10.0.0.0/8" accept'],
    });
    expect(fw.zones[0]?.ports).toEqual([
      { ports: [{ from: 8080, to: 8080 }], protocol: "tcp" },
      { ports: [{ from: 1000, to: 1010 }], protocol: "udp" },
    ]);
    expect(parseFirewallCmd("FirewallD is not running\n")).toEqual({
      tool: "firewalld",
      active: false,
      zones: [],
    });
  });
});

describe("parseFirewallOutput and firewallFacts", () => {
  it.each([
    ["firewall-cmd-docker-zone-from-list-all-zones.txt", "firewalld"],
    ["firewall-cmd-list-all-public-mailcow-centos7.txt", "firewalld"],
    ["iptables-L-n-v-docker28-docker-forward-nft-backend.txt", "iptables"],
    ["iptables-S-fresh-docker-host.txt", "iptables"],
    ["iptables-save-1.6.1-fresh-docker-host-2019.txt", "iptables"],
    ["nft-list-ruleset-docker-pre28-no-warnings.txt", "nftables"],
    ["nft-list-ruleset-docker-xt-compat-tabs.txt", "nftables"],
    ["nft-list-ruleset-docker28-iptables-nft.txt", "nftables"],
    ["ufw-status-inactive.txt", "ufw"],
    ["ufw-status-verbose-active-route-allow-fwd.txt", "ufw"],
  ])("%s is recognised as %s", (file, tool) => {
    expect(parseFirewallOutput(recorded(file))?.tool).toBe(tool);
  });

  it("unrecognised text", () => {
    expect(parseFirewallOutput("sudo: iptables: command not found")).toBeUndefined();
  });

  it("builds HostFacts' firewall section", () => {
    const fw = parseIptables(
      insertAfter(
        recorded("iptables-S-fresh-docker-host.txt"),
        /^-A FORWARD -i docker0 -o docker0/,
        [
          "-A DOCKER-USER -p tcp --dport 8080 -j DROP",
          "-A DOCKER-USER -i eth0 -p tcp --dport 1104 -j DROP",
        ],
      ),
    );
    const facts = firewallFacts(fw, MODELBOX_PORTS);
    expect(firewallFactsSchema.parse(facts)).toEqual(facts);
    expect(facts).toMatchObject({ tool: "iptables", active: true, blockedPorts: [8080] });
    expect(facts.detail).toMatch(/port 1104: restricted/);
    expect(facts.detail).toMatch(/port 8080: blocked/);
  });
});
