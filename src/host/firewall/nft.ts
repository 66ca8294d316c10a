/**
 * Parses `nft list ruleset` into the shared netfilter model (netfilter.ts).
 *
 * Tables hold chains; a chain with a "type ... hook ... priority ...; policy ...;" line is a base
 * chain, hooked into the kernel. When iptables-nft is the backend, Docker's iptables rules appear
 * here as tables "ip nat" / "ip filter" with Docker's chain names; Docker 29's own nftables backend
 * uses table "docker-bridges". Matches the translator cannot express print as `xt match "..."`.
 */
import {
  evaluateBaseChain,
  isDockerManagedChain,
  parsePortList,
  type Evaluation,
  type Negatable,
  type PacketRule,
  type Policy,
  type PortCheck,
  type RuleChain,
  type Verdict,
} from "./netfilter.js";

export interface NftChain extends RuleChain {
  /** Base chains only: "filter", "nat", "route". */
  type?: string;
  /** Base chains only: "prerouting", "input", "forward", "output", "postrouting". */
  hook?: string;
  /** Base chains only; named priorities resolved ("filter" = 0, "dstnat" = -100, ...). */
  priority?: number;
}

export interface NftTable {
  family: string;
  name: string;
  chains: NftChain[];
}

export interface NftRuleset {
  tool: "nftables";
  /** Some base-chain policy or rule outside Docker's tables/chains can drop packets. */
  active: boolean;
  defaultInputPolicy?: Policy;
  defaultForwardPolicy?: Policy;
  tables: NftTable[];
}

const NAMED_PRIORITIES: Record<string, number> = {
  raw: -300,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
};

function priorityOf(text: string): number | undefined {
  const m = /^(-?\d+|[a-z]+)\s*(?:([+-])\s*(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const base = /^-?\d+$/.test(m[1] ?? "") ? Number(m[1]) : NAMED_PRIORITIES[m[1] ?? ""];
  if (base === undefined) return undefined;
  const offset = m[3] ? Number(m[3]) * (m[2] === "-" ? -1 : 1) : 0;
  return base + offset;
}

/** Words of a rule line; "quoted strings" and "{ set, elements }" stay whole. */
function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    let j = i + 1;
    if (ch === '"') {
      while (j < line.length && line[j] !== '"') j++;
      j++;
    } else if (ch === "{") {
      let depth = 1;
      while (j < line.length && depth > 0) {
        if (line[j] === "{") depth++;
        else if (line[j] === "}") depth--;
        j++;
      }
    } else {
      while (j < line.length && !/\s/.test(line[j] ?? "")) j++;
    }
    out.push(line.slice(i, j));
    i = j;
  }
  return out;
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** "{ a, b }" → ["a", "b"]; a plain value → [value]. */
function elements(token: string): string[] {
  const inner = token.startsWith("{") ? token.slice(1, -1) : token;
  return inner
    .split(",")
    .map((e) => unquote(e.trim()))
    .filter((e) => e !== "");
}

const VERDICTS = new Set([
  "accept",
  "drop",
  "reject",
  "return",
  "continue",
  "jump",
  "goto",
  "queue",
]);
const COMPARISONS = new Set(["<", ">", "<=", ">=", "lt", "gt", "le", "ge"]);

/** Reads one rule line into a PacketRule. Unknown expressions make the rule a "maybe" match. */
export function ruleFromNft(line: string): PacketRule {
  const raw = line.trim();
  const t = tokenize(raw);
  const rule: PacketRule = { action: "continue", unknown: [], raw };
  let i = 0;
  const take = (): string => t[i++] ?? "";

  // An optional relational operator before a value: "!=" negates; ordering ops we don't model.
  const operand = (): { negated: boolean; value: string; comparable: boolean } => {
    let negated = false;
    let comparable = true;
    const op = t[i];
    if (op === "!=" || op === "ne") {
      negated = true;
      i++;
    } else if (op === "==" || op === "eq") {
      i++;
    } else if (op !== undefined && COMPARISONS.has(op)) {
      comparable = false;
      i++;
    }
    return { negated, value: take(), comparable };
  };
  const neg = <T>(value: T, negated: boolean): Negatable<T> => ({ value, negated });
  const unknown = (what: string) => rule.unknown.push(what);

  const readPorts = (key: string): void => {
    const { negated, value, comparable } = operand();
    const ports =
      comparable && !value.startsWith("@") ? parsePortList(elements(value).join(",")) : undefined;
    if (!ports) {
      unknown(`${key} ${value}`);
      return;
    }
    if (key.endsWith("sport")) rule.sourcePorts = neg(ports, negated);
    else if (key === "proto-dst") rule.originalDestinationPorts = neg(ports, negated);
    else rule.destinationPorts = neg(ports, negated);
  };

  const readInterface = (inbound: boolean, key: string) => {
    if (t[i] === "vmap") {
      i++;
      verdictMap(take(), undefined);
      return;
    }
    const { negated, value, comparable } = operand();
    const names = elements(value);
    if (!comparable || names.length !== 1 || value.startsWith("@")) {
      unknown(`${key} ${value}`);
      return;
    }
    const name = (names[0] ?? "").replace(/\*$/, "+"); // nft wildcard "br-*" = iptables "br-+"
    if (inbound) rule.inInterface = neg(name, negated);
    else rule.outInterface = neg(name, negated);
  };

  // "vmap { key : verdict, ... }". For `ct state vmap` we know a new connection's key ("new");
  // for other keys any listed verdict may apply.
  const verdictMap = (token: string, newStateKey: string | undefined) => {
    const entries = elements(token).map((e) => {
      const [key = "", verdict = ""] = e.split(":").map((s) => s.trim());
      return { keys: key.split(/[\s,]+/), verdict };
    });
    if (newStateKey) {
      const hit = entries.find((e) => e.keys.includes(newStateKey));
      if (hit) setVerdict(hit.verdict.split(/\s+/));
      return;
    }
    if (entries.some((e) => /^(drop|reject)/.test(e.verdict))) {
      rule.action = "unknown";
      rule.target = "vmap";
    } else {
      unknown(`vmap ${token}`);
    }
  };

  const setVerdict = (words: string[]) => {
    const [verdict = "", target] = words;
    switch (verdict) {
      case "accept":
      case "drop":
      case "reject":
      case "return":
      case "continue":
        rule.action = verdict;
        break;
      case "jump":
      case "goto":
        rule.action = verdict;
        rule.target = target ?? "";
        break;
      default:
        rule.action = "unknown";
        rule.target = verdict;
    }
  };

  while (i < t.length) {
    const w = take();
    switch (w) {
      case "counter":
        while (t[i] === "packets" || t[i] === "bytes" || t[i] === "name") i += 2;
        break;
      case "log":
        while (/^(prefix|level|flags|group|snaplen|queue-threshold)$/.test(t[i] ?? "")) i += 2;
        break;
      case "comment":
        i++;
        break;
      case "limit":
      case "quota":
        // rate limits: whether the packet is within the limit is not knowable
        unknown(w);
        while (i < t.length && !VERDICTS.has(t[i] ?? "") && t[i] !== "counter") i++;
        break;
      case "iifname":
      case "iif":
        readInterface(true, w);
        break;
      case "oifname":
      case "oif":
        readInterface(false, w);
        break;
      case "meta": {
        const key = take();
        if (key === "iifname" || key === "iif") readInterface(true, key);
        else if (key === "oifname" || key === "oif") readInterface(false, key);
        else if (key === "l4proto" || key === "protocol") {
          const { negated, value } = operand();
          const protos = elements(value);
          if (protos.length === 1) rule.protocol = neg(protos[0] ?? "", negated);
          else if (protos.includes("tcp") !== negated) rule.protocol = neg("tcp", false);
          else rule.protocol = neg("none", false);
        } else if (key === "nfproto") {
          const { negated, value } = operand();
          if ((value === "ipv6") !== negated) rule.ipv6Only = true;
        } else if (t[i] === "set") {
          i += 2; // meta mark set X: rewrites, does not filter
        } else {
          const { value } = operand();
          unknown(`meta ${key} ${value}`);
        }
        break;
      }
      case "ip":
      case "ip6": {
        const key = take();
        const { negated, value } = operand();
        if (key === "saddr") rule.source = neg(value, negated);
        else if (key === "daddr") rule.destination = neg(value, negated);
        else if (key === "protocol" || key === "nexthdr") rule.protocol = neg(value, negated);
        else unknown(`${w} ${key} ${value}`);
        if (w === "ip6") rule.ipv6Only = true; // in an inet table: never matches IPv4 clients
        break;
      }
      case "tcp":
      case "udp":
      case "udplite":
      case "sctp":
      case "th": {
        // "udp dport 53" only matches UDP: a TCP connection never matches it.
        if (w !== "th") rule.protocol ??= neg(w, false);
        const key = take();
        if (key === "dport" || key === "sport") readPorts(key);
        else if (w === "tcp" && key === "flags") {
          // "tcp flags syn", "tcp flags syn / fin,syn,rst,ack", "tcp flags & (fin|syn|rst|ack) == syn"
          const flags: string[] = [];
          while (
            /^[&|=!(),/]*(?:(?:fin|syn|rst|psh|ack|urg|ecn|cwr)[&|=!(),/]*)*$/.test(t[i] ?? "-")
          ) {
            flags.push(take());
          }
          const eq = flags.indexOf("==");
          const value = eq >= 0 ? flags[eq + 1] : flags[0];
          if (value === "syn" && flags[0] !== "!=") rule.syn = neg(true, false);
          else unknown(`tcp flags ${flags.join(" ")}`);
        } else {
          const { value } = operand();
          unknown(`${w} ${key} ${value}`);
        }
        break;
      }
      case "icmp":
      case "icmpv6":
        rule.protocol = neg(w, false);
        if (t[i] === "type" || t[i] === "code") {
          i++;
          operand();
        }
        break;
      case "ct": {
        const key = take();
        if (key === "state" && t[i] === "vmap") {
          i++;
          verdictMap(take(), "new");
        } else if (key === "state") {
          const { negated, value } = operand();
          rule.states = neg(
            elements(value)
              .flatMap((s) => s.split(","))
              .map((s) => s.trim().toUpperCase()),
            negated,
          );
        } else if (key === "status") {
          const { negated, value } = operand();
          // `ct status dnat`: the connection was DNATed, as every published-port connection is.
          if (elements(value).includes("dnat")) rule.states = neg(["DNAT"], negated);
          else unknown(`ct status ${value}`);
        } else if (key === "original" && t[i] === "proto-dst") {
          i++;
          readPorts("proto-dst");
        } else {
          const rest: string[] = [];
          while (i < t.length && !VERDICTS.has(t[i] ?? "") && t[i] !== "counter") rest.push(take());
          unknown(`ct ${key} ${rest.join(" ")}`);
        }
        break;
      }
      case "fib": {
        const expr: string[] = [];
        while (i < t.length && !/^(type|oif|oifname)$/.test(t[i] ?? "")) expr.push(take());
        const what = take();
        const { value } = operand();
        unknown(`fib ${expr.join(" ")} ${what} ${value}`);
        break;
      }
      case "xt": {
        const kind = take();
        const name = unquote(take());
        if (kind === "target") {
          if (name === "REJECT") rule.action = "reject";
          else if (name === "DROP") rule.action = "drop";
          else if (name === "ACCEPT") rule.action = "accept";
          // MASQUERADE, LOG...: no verdict
        } else {
          unknown(`xt ${kind} "${name}"`);
        }
        break;
      }
      case "accept":
      case "drop":
      case "reject":
      case "return":
      case "continue":
        setVerdict([w]);
        if (w === "reject") i = t.length; // "reject with icmpx type admin-prohibited"
        break;
      case "jump":
      case "goto":
        setVerdict([w, take()]);
        break;
      case "queue":
        setVerdict([w]);
        i = t.length;
        break;
      case "masquerade":
      case "snat":
      case "dnat":
      case "redirect":
      case "tproxy":
      case "notrack":
      case "flow":
      case "synproxy":
        i = t.length; // rewrites and offloads; no filtering verdict
        break;
      case "mark":
        if (t[i] === "set") i += 2;
        else unknown(`mark ${operand().value}`);
        break;
      default:
        unknown(w);
    }
  }
  return rule;
}

/** Parses `nft list ruleset` (any indentation; warning comments and sets/maps skipped). */
export function parseNftRuleset(text: string): NftRuleset {
  const tables: NftTable[] = [];
  let table: NftTable | undefined;
  let chain: NftChain | undefined;
  let skipDepth = 0; // inside a set/map/flowtable block

  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+# handle \d+\s*$/, "").trim();
    if (line === "" || line.startsWith("#")) continue;
    if (skipDepth > 0) {
      skipDepth += (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
      continue;
    }
    const tableHeader = /^table\s+(\S+)\s+(\S+)\s*{$/.exec(line);
    if (tableHeader) {
      table = { family: tableHeader[1] ?? "", name: tableHeader[2] ?? "", chains: [] };
      tables.push(table);
      continue;
    }
    if (!table) continue;
    const chainHeader = /^chain\s+(\S+)\s*{$/.exec(line);
    if (chainHeader && !chain) {
      chain = { name: chainHeader[1] ?? "", rules: [] };
      table.chains.push(chain);
      continue;
    }
    if (line === "}") {
      if (chain) chain = undefined;
      else table = undefined;
      continue;
    }
    if (!chain) {
      // set / map / flowtable / named objects: skip their block
      if (line.endsWith("{")) skipDepth = 1;
      continue;
    }
    const base =
      /^type\s+(\S+)\s+hook\s+(\S+)(?:\s+device\s+\S+)?\s+priority\s+([^;]+);(?:\s*policy\s+(\w+);)?/.exec(
        line,
      );
    if (base) {
      chain.type = base[1] ?? "";
      chain.hook = base[2] ?? "";
      const priority = priorityOf(base[3] ?? "");
      if (priority !== undefined) chain.priority = priority;
      chain.policy = base[4] === "drop" ? "drop" : "accept";
      continue;
    }
    const policy = /^policy\s+(\w+);?$/.exec(line);
    if (policy) {
      chain.policy = policy[1] === "drop" ? "drop" : "accept";
      continue;
    }
    chain.rules.push(ruleFromNft(line));
  }

  const ipv4 = tables.filter((tb) => tb.family === "ip" || tb.family === "inet");
  const hookPolicy = (hook: string): Policy | undefined => {
    const policies = ipv4.flatMap((tb) =>
      tb.chains.filter((c) => c.hook === hook && c.type === "filter").map((c) => c.policy),
    );
    if (policies.includes("drop")) return "drop";
    return policies.length > 0 ? "accept" : undefined;
  };
  const defaultInputPolicy = hookPolicy("input");
  const defaultForwardPolicy = hookPolicy("forward");
  const active = tables.some(
    (tb) =>
      !isDockerTable(tb) &&
      tb.chains.some(
        (c) =>
          (c.hook !== undefined && c.policy === "drop") ||
          (!isDockerManagedChain(c.name) &&
            c.rules.some((r) => r.action === "drop" || r.action === "reject")),
      ),
  );
  return {
    tool: "nftables",
    active,
    ...(defaultInputPolicy ? { defaultInputPolicy } : {}),
    ...(defaultForwardPolicy ? { defaultForwardPolicy } : {}),
    tables,
  };
}

/** Docker 29's native nftables backend keeps all its rules in table "docker-bridges". */
function isDockerTable(table: NftTable): boolean {
  return table.name === "docker-bridges";
}

const SEVERITY: Record<Verdict, number> = { open: 0, restricted: 1, blocked: 2 };

/**
 * Evaluates every IPv4 forward-hook filter chain. Unlike iptables' single FORWARD chain, nftables
 * runs each base chain in turn: an accept only ends that chain, a drop anywhere is final. So the
 * worst verdict over all chains is the answer. Docker's own table is taken as accepting.
 */
export function evaluateNft(ruleset: NftRuleset, port: PortCheck): Evaluation {
  let worst: Evaluation | undefined;
  for (const table of ruleset.tables) {
    if ((table.family !== "ip" && table.family !== "inet") || isDockerTable(table)) continue;
    const chains = new Map(table.chains.map((c) => [c.name, c]));
    for (const chain of table.chains) {
      if (chain.hook !== "forward" || chain.type !== "filter") continue;
      const result = evaluateBaseChain(chains, chain.name, port);
      const labelled = {
        ...result,
        reason: `table ${table.family} ${table.name}: ${result.reason}`,
      };
      if (!worst || SEVERITY[labelled.verdict] > SEVERITY[worst.verdict]) worst = labelled;
    }
  }
  return worst ?? { verdict: "open", reason: "no forward-hook filter chain" };
}
