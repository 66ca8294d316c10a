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

/** Builds a rule from the words after "-A CHAIN". */
export function ruleFromArgs(args: string[], raw: string): PacketRule {
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
