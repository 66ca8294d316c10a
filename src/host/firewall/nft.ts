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
  type Evaluation,
  type Policy,
  type PortCheck,
  type RuleChain,
  type Verdict,
} from "./netfilter.js";
import { ruleFromNft } from "./nft-rule.js";

export { ruleFromNft } from "./nft-rule.js";

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
