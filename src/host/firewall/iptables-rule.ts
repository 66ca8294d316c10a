/**
 * One iptables rule read into the netfilter model: from `iptables-save` / `-S` words ("-A CHAIN
 * -p tcp --dport 80 -j DROP") or from an `iptables -L -n [-v]` row.
 */
import { parsePortList, type Negatable, type PacketRule, type RuleAction } from "./netfilter.js";

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

/** Splits an iptables-save/-S line into words, keeping "quoted strings" (comments) whole. */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? "");
  return out;
}

const STATE_OPTIONS = new Set(["--ctstate", "--state"]);

/** A rule being read from its words: where we are, and what the words said so far. */
interface ArgsReader {
  args: string[];
  i: number;
  /** A "!" came before the current option. */
  negated: boolean;
  rule: PacketRule;
  target?: string;
  isGoto: boolean;
}

type OptionHandler = (r: ArgsReader, word: string) => void;

const next = (r: ArgsReader): string => r.args[++r.i] ?? "";
const neg = <T>(r: ArgsReader, value: T): Negatable<T> => ({ value, negated: r.negated });

/** Words up to the next option belong to the current one (e.g. "--tcp-flags MASK COMP"). */
function restOfOption(r: ArgsReader): string[] {
  const values: string[] = [];
  while (r.i + 1 < r.args.length && !/^(-|!$)/.test(r.args[r.i + 1] ?? "")) values.push(next(r));
  return values;
}

const alias = (names: string[], handler: OptionHandler): Record<string, OptionHandler> =>
  Object.fromEntries(names.map((n) => [n, handler]));

function destinationPorts(r: ArgsReader, word: string): void {
  const value = next(r);
  const ports = parsePortList(value);
  if (ports) r.rule.destinationPorts = neg(r, ports);
  else r.rule.unknown.push(`${word} ${value}`);
}

function originalDestinationPorts(r: ArgsReader, word: string): void {
  const value = next(r);
  const ports = parsePortList(value);
  if (ports) r.rule.originalDestinationPorts = neg(r, ports);
  else r.rule.unknown.push(`${word} ${value}`);
}

function tcpFlags(r: ArgsReader): void {
  const [mask = "", comp = ""] = restOfOption(r);
  if (comp === "SYN" && mask.includes("SYN") && mask.includes("ACK")) r.rule.syn = neg(r, true);
  else r.rule.unknown.push(`--tcp-flags ${mask} ${comp}`);
}

function jumpTo(goto: boolean): OptionHandler {
  return (r) => {
    r.target = next(r);
    r.isGoto = goto;
  };
}

/** iptables' options, each reading its own values. */
const OPTIONS: Record<string, OptionHandler> = {
  ...alias(["-p", "--protocol"], (r) => (r.rule.protocol = neg(r, next(r)))),
  ...alias(["-s", "--source", "--src"], (r) => (r.rule.source = neg(r, next(r)))),
  ...alias(["-d", "--destination", "--dst"], (r) => (r.rule.destination = neg(r, next(r)))),
  ...alias(["-i", "--in-interface"], (r) => (r.rule.inInterface = neg(r, next(r)))),
  ...alias(["-o", "--out-interface"], (r) => (r.rule.outInterface = neg(r, next(r)))),
  ...alias(["-j", "--jump"], jumpTo(false)),
  ...alias(["-g", "--goto"], jumpTo(true)),
  // A module's name; its options carry the conditions.
  ...alias(["-m", "--match", "--comment"], (r) => void next(r)),
  ...alias(["--dport", "--dports", "--destination-port", "--destination-ports"], destinationPorts),
  ...alias(
    ["--sport", "--sports", "--source-port", "--source-ports"],
    (r) => (r.rule.sourcePorts = neg(r, parsePortList(next(r)) ?? [])),
  ),
  "--ctorigdstport": originalDestinationPorts,
  "--syn": (r) => (r.rule.syn = neg(r, true)),
  "--tcp-flags": tcpFlags,
  ...alias([...STATE_OPTIONS], (r) => (r.rule.states = neg(r, next(r).toUpperCase().split(",")))),
};

/** An option we do not model: after the target it is the target's (--reject-with, --log-prefix…). */
function otherOption(r: ArgsReader, word: string): void {
  if (r.target !== undefined) restOfOption(r);
  else if (word.startsWith("-")) r.rule.unknown.push([word, ...restOfOption(r)].join(" "));
}

/** Builds a rule from the words after "-A CHAIN". */
export function ruleFromArgs(args: string[], raw: string): PacketRule {
  const r: ArgsReader = {
    args,
    i: 0,
    negated: false,
    rule: { action: "continue", unknown: [], raw },
    isGoto: false,
  };
  for (; r.i < args.length; r.i++) {
    const word = args[r.i] ?? "";
    if (word === "!") {
      r.negated = true;
      continue;
    }
    const handler = Object.hasOwn(OPTIONS, word) ? OPTIONS[word] : undefined;
    if (handler) handler(r, word);
    else otherOption(r, word);
    r.negated = false;
  }
  const { rule, target } = r;
  rule.action = actionFor(target, r.isGoto);
  // Keep the name where it says more than the action: chains, and targets like LOG or NFQUEUE.
  if (target !== undefined && !["accept", "drop", "reject", "return"].includes(rule.action)) {
    rule.target = target;
  }
  return rule;
}

/** Reads one `iptables -L [-n] [-v]` row; the column layout depends on -v and on a missing target. */
export function ruleFromListRow(
  cells: string[],
  verbose: boolean,
  raw: string,
): PacketRule | undefined {
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
