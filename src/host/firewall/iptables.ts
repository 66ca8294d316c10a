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
  parsePortList,
  type Evaluation,
  type Negatable,
  type PacketRule,
  type PortCheck,
  type Policy,
  type RuleAction,
  type RuleChain,
} from "./netfilter.js";

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

// Targets that never end evaluation (or only rewrite the packet).
const NON_TERMINAL_TARGETS = new Set([
  "LOG",
  "NFLOG",
  "ULOG",
  "MARK",
  "CONNMARK",
  "CT",
  "NOTRACK",
  "TCPMSS",
  "DNAT",
  "SNAT",
  "MASQUERADE",
  "REDIRECT",
  "NETMAP",
  "CHECKSUM",
  "TRACE",
  "AUDIT",
  "CLASSIFY",
  "DSCP",
  "TOS",
  "TTL",
  "TEE",
  "SET",
  "SECMARK",
  "CONNSECMARK",
]);

function actionFor(target: string | undefined, isGoto: boolean): RuleAction {
  if (target === undefined) return "continue";
  switch (target) {
    case "ACCEPT":
      return "accept";
    case "DROP":
      return "drop";
    case "REJECT":
      return "reject";
    case "RETURN":
      return "return";
    case "QUEUE":
    case "NFQUEUE":
      return "unknown";
  }
  if (NON_TERMINAL_TARGETS.has(target)) return "continue";
  return isGoto ? "goto" : "jump";
}

function policyOf(text: string | undefined): Policy | undefined {
  const p = text?.toUpperCase();
  if (p === "ACCEPT") return "accept";
  if (p === "DROP") return "drop";
  if (p === "REJECT") return "reject";
  return undefined;
}

/** Splits an iptables-save/-S line into words, keeping "quoted strings" (comments) whole. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? "");
  return out;
}

const STATE_OPTIONS = new Set(["--ctstate", "--state"]);

/** Builds a rule from the words after "-A CHAIN". */
function ruleFromArgs(args: string[], raw: string): PacketRule {
  const rule: PacketRule = { action: "continue", unknown: [], raw };
  let negated = false;
  let target: string | undefined;
  let isGoto = false;
  let afterTarget = false;
  const neg = <T>(value: T): Negatable<T> => ({ value, negated });

  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? "";
    if (word === "!") {
      negated = true;
      continue;
    }
    const next = (): string => args[++i] ?? "";
    // Words up to the next option belong to the current one (e.g. "--tcp-flags MASK COMP").
    const restOfOption = (): string[] => {
      const values: string[] = [];
      while (i + 1 < args.length && !/^(-|!$)/.test(args[i + 1] ?? ""))
        values.push(args[++i] ?? "");
      return values;
    };
    switch (word) {
      case "-p":
      case "--protocol":
        rule.protocol = neg(next());
        break;
      case "-s":
      case "--source":
      case "--src":
        rule.source = neg(next());
        break;
      case "-d":
      case "--destination":
      case "--dst":
        rule.destination = neg(next());
        break;
      case "-i":
      case "--in-interface":
        rule.inInterface = neg(next());
        break;
      case "-o":
      case "--out-interface":
        rule.outInterface = neg(next());
        break;
      case "-j":
      case "--jump":
        target = next();
        afterTarget = true;
        break;
      case "-g":
      case "--goto":
        target = next();
        isGoto = true;
        afterTarget = true;
        break;
      case "-m":
      case "--match":
        next(); // the module's options carry the conditions
        break;
      case "--comment":
        next();
        break;
      case "--dport":
      case "--dports":
      case "--destination-port":
      case "--destination-ports": {
        const value = next();
        const ports = parsePortList(value);
        if (ports) rule.destinationPorts = neg(ports);
        else rule.unknown.push(`${word} ${value}`);
        break;
      }
      case "--sport":
      case "--sports":
      case "--source-port":
      case "--source-ports": {
        const value = next();
        rule.sourcePorts = neg(parsePortList(value) ?? []);
        break;
      }
      case "--ctorigdstport": {
        const value = next();
        const ports = parsePortList(value);
        if (ports) rule.originalDestinationPorts = neg(ports);
        else rule.unknown.push(`${word} ${value}`);
        break;
      }
      case "--syn":
        rule.syn = neg(true);
        break;
      case "--tcp-flags": {
        const [mask = "", comp = ""] = restOfOption();
        if (comp === "SYN" && mask.includes("SYN") && mask.includes("ACK")) rule.syn = neg(true);
        else rule.unknown.push(`--tcp-flags ${mask} ${comp}`);
        break;
      }
      default:
        if (STATE_OPTIONS.has(word)) {
          rule.states = neg(next().toUpperCase().split(","));
        } else if (afterTarget) {
          restOfOption(); // target options: --reject-with, --log-prefix, --to-destination...
        } else if (word.startsWith("-")) {
          rule.unknown.push([word, ...restOfOption()].join(" "));
        }
    }
    negated = false;
  }
  rule.action = actionFor(target, isGoto);
  // Keep the name where it says more than the action: chains, and targets like LOG or NFQUEUE.
  if (target !== undefined && !["accept", "drop", "reject", "return"].includes(rule.action)) {
    rule.target = target;
  }
  return rule;
}

/** Reads one `iptables -L [-n] [-v]` row; the column layout depends on -v and on a missing target. */
function ruleFromListRow(cells: string[], verbose: boolean, raw: string): PacketRule | undefined {
  const isOpt = (s: string | undefined) => s === "--" || s === "-f" || s === "!f";
  const skip = verbose ? 2 : 0; // pkts, bytes
  const hasTarget = !isOpt(cells[skip + 1]);
  let i = skip;
  const target = hasTarget ? cells[i++] : undefined;
  const prot = cells[i++] ?? "all";
  i++; // opt
  const inIf = verbose ? cells[i++] : undefined;
  const outIf = verbose ? cells[i++] : undefined;
  const source = cells[i++];
  const destination = cells[i++];
  if (destination === undefined) return undefined;

  // Rebuild iptables arguments from the columns ("!docker0" is a negated interface) and reuse
  // the -S parser, so both formats share one reading of each condition.
  const opt = (flag: string, v: string) =>
    v.startsWith("!") ? ["!", flag, v.slice(1)] : [flag, v];
  const any = /^!?(0\.0\.0\.0\/0|::\/0|anywhere)$/;
  const args: string[] = [];
  if (prot !== "all" && prot !== "0") args.push(...opt("-p", prot));
  if (inIf && inIf !== "*") args.push(...opt("-i", inIf));
  if (outIf && outIf !== "*") args.push(...opt("-o", outIf));
  if (source && !any.test(source)) args.push(...opt("-s", source));
  if (!any.test(destination)) args.push(...opt("-d", destination));

  // Match details after the addresses: "tcp dpt:8080", "multiport dports 80,443",
  // "ctstate RELATED,ESTABLISHED", "ctorigdstport 8080", "/* comment */", "reject-with ...".
  const extra = cells.slice(i);
  for (let j = 0; j < extra.length; j++) {
    const word = extra[j] ?? "";
    let negate = false;
    let w = word;
    if (w === "!") {
      negate = true;
      w = extra[++j] ?? "";
    }
    const not = negate ? ["!"] : [];
    const port = /^(dpts?|spts?):(!?)(.+)$/.exec(w);
    if (port) {
      const option = port[1]?.startsWith("d") ? "--dport" : "--sport";
      args.push(...(port[2] ? ["!"] : not), option, port[3] ?? "");
    } else if (w === "multiport") {
      const kind = extra[++j] ?? "";
      let list = extra[++j] ?? "";
      let n = not;
      if (list === "!") {
        n = ["!"];
        list = extra[++j] ?? "";
      }
      args.push(
        ...n,
        kind === "dports" ? "--dports" : kind === "sports" ? "--sports" : "--ports",
        list,
      );
    } else if (w === "ctstate" || w === "state") {
      args.push(...not, "--ctstate", extra[++j] ?? "");
    } else if (w === "ctorigdstport") {
      args.push(...not, "--ctorigdstport", extra[++j] ?? "");
    } else if (w === "/*") {
      while (j < extra.length && extra[j] !== "*/") j++;
    } else if (w === "reject-with") {
      j++;
    } else if (/^flags:/.test(w)) {
      const [mask = "", comp = ""] = w.slice(6).split("/");
      const syn =
        (comp === "0x02" && mask === "0x17") ||
        (comp === "SYN" && mask.includes("SYN") && mask.includes("ACK"));
      args.push(...not, ...(syn ? ["--syn"] : ["--tcp-flags", mask, comp]));
    } else if (w === "tcp" || w === "udp" || w === "icmp") {
      // the match module's name, repeated before its options
    } else if (target === "LOG" || target === "NFLOG") {
      break; // the rest describes the log target, not conditions
    } else {
      args.push(`--unknown-${w}`);
    }
  }
  if (target !== undefined) args.push("-j", target);
  return ruleFromArgs(args, raw.trim().replace(/\s+/g, " "));
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
