/**
 * Parses the three ways iptables prints its rules into one model (netfilter.ts):
 *   - `iptables-save`: "*table" sections, ":CHAIN POLICY [p:b]" declarations, "-A" rules;
 *   - `iptables -S`: "-P"/"-N"/"-A" lines of one table (filter unless -t was given);
 *   - `iptables -L -n [-v]`: "Chain X (policy P ...)" blocks of column rows.
 * The nf_tables backend prints protocol "all" as "0" in -L; both mean any protocol.
 */
import {
  evaluateBaseChain,
  isDockerManagedChain,
  type Evaluation,
  type PortCheck,
  type Policy,
  type RuleChain,
} from "./netfilter.js";
import { ruleFromArgs, ruleFromListRow, words } from "./iptables-rule.js";

export interface IptablesRuleset {
  tool: "iptables";
  format: "save" | "rules" | "list";
  /** Some policy or rule outside Docker's own chains can drop packets. */
  active: boolean;
  defaultInputPolicy?: Policy;
  defaultForwardPolicy?: Policy;
  /** Table name → chains in printed order. -S and -L print one table: taken as "filter". */
  tables: Record<string, RuleChain[]>;
}

function policyOf(text: string | undefined): Policy | undefined {
  const p = text?.toUpperCase();
  if (p === "ACCEPT") return "accept";
  if (p === "DROP") return "drop";
  if (p === "REJECT") return "reject";
  return undefined;
}

/** Parses `iptables-save`, `iptables -S` or `iptables -L -n [-v]` output (format auto-detected). */
export function parseIptables(text: string): IptablesRuleset {
  const lines = text.split(/\r?\n/);
  const format: IptablesRuleset["format"] = lines.some((l) => /^Chain \S+ \(/.test(l))
    ? "list"
    : lines.some((l) => /^\*\w+/.test(l) || /^:\S+ \S+/.test(l))
      ? "save"
      : "rules";
  const tables: Record<string, RuleChain[]> = {};
  let table = "filter";
  const chainIn = (tableName: string, name: string): RuleChain => {
    const chains = (tables[tableName] ??= []);
    let chain = chains.find((c) => c.name === name);
    if (!chain) {
      chain = { name, rules: [] };
      chains.push(chain);
    }
    return chain;
  };

  if (format === "list") {
    let current: RuleChain | undefined;
    let verbose = false;
    for (const line of lines) {
      const header = /^Chain (\S+) \((?:policy (\w+))?/.exec(line);
      if (header) {
        current = chainIn(table, header[1] ?? "");
        const policy = policyOf(header[2]);
        if (policy) current.policy = policy;
        continue;
      }
      if (!current || line.trim() === "") continue;
      const cells = line.trim().split(/\s+/);
      if (cells.includes("target") && cells.includes("prot")) {
        verbose = cells[0] === "pkts";
        continue;
      }
      const rule = ruleFromListRow(cells, verbose, line);
      if (rule) current.rules.push(rule);
    }
  } else {
    for (const line of lines) {
      const l = line.trim().replace(/^\[\d+:\d+\]\s+/, ""); // iptables-save -c counters
      if (l === "" || l.startsWith("#") || l === "COMMIT") continue;
      const tableHeader = /^\*(\w+)/.exec(l);
      if (tableHeader) {
        table = tableHeader[1] ?? "filter";
        continue;
      }
      const declared = /^:(\S+)\s+(\S+)/.exec(l);
      if (declared) {
        const chain = chainIn(table, declared[1] ?? "");
        const policy = policyOf(declared[2]);
        if (policy) chain.policy = policy;
        continue;
      }
      const w = words(l);
      const [option = "", name = ""] = w;
      if (option === "-P") {
        const policy = policyOf(w[2]);
        const chain = chainIn(table, name);
        if (policy) chain.policy = policy;
      } else if (option === "-N") {
        chainIn(table, name);
      } else if (option === "-A" || option === "--append") {
        chainIn(table, name).rules.push(ruleFromArgs(w.slice(2), l));
      }
    }
  }

  const filter = tables.filter ?? [];
  const policy = (name: string) => filter.find((c) => c.name === name)?.policy;
  const defaultInputPolicy = policy("INPUT");
  const defaultForwardPolicy = policy("FORWARD");
  const active =
    filter.some((c) => c.policy !== undefined && c.policy !== "accept") ||
    Object.values(tables).some((chains) =>
      chains.some(
        (c) =>
          !isDockerManagedChain(c.name) &&
          c.rules.some((r) => r.action === "drop" || r.action === "reject"),
      ),
    );
  return {
    tool: "iptables",
    format,
    active,
    ...(defaultInputPolicy ? { defaultInputPolicy } : {}),
    ...(defaultForwardPolicy ? { defaultForwardPolicy } : {}),
    tables,
  };
}

/**
 * Whether an outside client's connection to a published port passes the filter table: FORWARD is
 * evaluated from its first rule (Docker's chains count as accepting; see netfilter.ts).
 */
export function evaluateIptables(ruleset: IptablesRuleset, port: PortCheck): Evaluation {
  const filter = ruleset.tables.filter ?? [];
  if (!filter.some((c) => c.name === "FORWARD")) {
    return { verdict: "open", reason: "no filter FORWARD chain in this listing" };
  }
  return evaluateBaseChain(new Map(filter.map((c) => [c.name, c])), "FORWARD", port);
}
