/**
 * One `nft list ruleset` rule line read into the netfilter model: a tokenizer, then a handler per
 * keyword (`iifname`, `tcp`, `ct`, `accept`, …), each taking the words that belong to it. Unknown
 * expressions make the rule a "maybe" match rather than a guess.
 */
import { type Negatable, type PacketRule, parsePortList } from "./netfilter.js";
import { WordReader, elements, tokenize, unquote } from "./nft-tokens.js";

/** A rule being read: its words and what they said so far. */
interface RuleReader {
  words: WordReader;
  rule: PacketRule;
}

type Handler = (r: RuleReader, keyword: string) => void;

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

const neg = <T>(value: T, negated: boolean): Negatable<T> => ({ value, negated });
const unknown = (r: RuleReader, what: string): void => {
  r.rule.unknown.push(what);
};
/** Words up to the verdict (or a counter): what an expression we do not model spans. */
const untilVerdict = (r: RuleReader) =>
  r.words.takeWhile((w) => !VERDICTS.has(w) && w !== "counter");

function setVerdict(rule: PacketRule, verdict: string, target?: string): void {
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
}

/**
 * "vmap { key : verdict, ... }". For `ct state vmap` a new connection's key is known ("new");
 * for other keys any listed verdict may apply.
 */
function verdictMap(r: RuleReader, token: string, newStateKey: string | undefined): void {
  const entries = elements(token).map((e) => {
    const [key = "", verdict = ""] = e.split(":").map((s) => s.trim());
    return { keys: key.split(/[\s,]+/), verdict };
  });
  if (newStateKey) {
    const hit = entries.find((e) => e.keys.includes(newStateKey));
    if (hit) {
      const [verdict = "", target] = hit.verdict.split(/\s+/);
      setVerdict(r.rule, verdict, target);
    }
    return;
  }
  if (entries.some((e) => /^(drop|reject)/.test(e.verdict))) {
    r.rule.action = "unknown";
    r.rule.target = "vmap";
  } else {
    unknown(r, `vmap ${token}`);
  }
}

function readPorts(r: RuleReader, key: string): void {
  const { negated, value, comparable } = r.words.operand();
  const ports =
    comparable && !value.startsWith("@") ? parsePortList(elements(value).join(",")) : undefined;
  if (!ports) return unknown(r, `${key} ${value}`);
  if (key.endsWith("sport")) r.rule.sourcePorts = neg(ports, negated);
  else if (key === "proto-dst") r.rule.originalDestinationPorts = neg(ports, negated);
  else r.rule.destinationPorts = neg(ports, negated);
}

function readInterface(r: RuleReader, inbound: boolean, key: string): void {
  if (r.words.peek() === "vmap") {
    r.words.skip();
    return verdictMap(r, r.words.take(), undefined);
  }
  const { negated, value, comparable } = r.words.operand();
  const names = elements(value);
  if (!comparable || names.length !== 1 || value.startsWith("@")) {
    return unknown(r, `${key} ${value}`);
  }
  const name = (names[0] ?? "").replace(/\*$/, "+"); // nft wildcard "br-*" = iptables "br-+"
  if (inbound) r.rule.inInterface = neg(name, negated);
  else r.rule.outInterface = neg(name, negated);
}

const counter: Handler = (r) => {
  while (["packets", "bytes", "name"].includes(r.words.peek())) r.words.skip(2);
};

const log: Handler = (r) => {
  while (/^(prefix|level|flags|group|snaplen|queue-threshold)$/.test(r.words.peek())) {
    r.words.skip(2);
  }
};

// Rate limits: whether the packet is within the limit is not knowable.
const limit: Handler = (r, keyword) => {
  unknown(r, keyword);
  untilVerdict(r);
};

const inbound: Handler = (r, keyword) => readInterface(r, true, keyword);
const outbound: Handler = (r, keyword) => readInterface(r, false, keyword);

function metaProtocol(r: RuleReader): void {
  const { negated, value } = r.words.operand();
  const protos = elements(value);
  if (protos.length === 1) r.rule.protocol = neg(protos[0] ?? "", negated);
  else if (protos.includes("tcp") !== negated) r.rule.protocol = neg("tcp", false);
  else r.rule.protocol = neg("none", false);
}

const meta: Handler = (r) => {
  const key = r.words.take();
  if (key === "iifname" || key === "iif") return readInterface(r, true, key);
  if (key === "oifname" || key === "oif") return readInterface(r, false, key);
  if (key === "l4proto" || key === "protocol") return metaProtocol(r);
  if (key === "nfproto") {
    const { negated, value } = r.words.operand();
    if ((value === "ipv6") !== negated) r.rule.ipv6Only = true;
    return;
  }
  if (r.words.peek() === "set") return r.words.skip(2); // meta mark set X: rewrites only
  unknown(r, `meta ${key} ${r.words.operand().value}`);
};

const address: Handler = (r, family) => {
  const key = r.words.take();
  const { negated, value } = r.words.operand();
  if (key === "saddr") r.rule.source = neg(value, negated);
  else if (key === "daddr") r.rule.destination = neg(value, negated);
  else if (key === "protocol" || key === "nexthdr") r.rule.protocol = neg(value, negated);
  else unknown(r, `${family} ${key} ${value}`);
  if (family === "ip6") r.rule.ipv6Only = true; // in an inet table: never matches IPv4 clients
};

const TCP_FLAGS = /^[&|=!(),/]*(?:(?:fin|syn|rst|psh|ack|urg|ecn|cwr)[&|=!(),/]*)*$/;

/** "tcp flags syn", "tcp flags syn / fin,syn,rst,ack", "tcp flags & (fin|syn|rst|ack) == syn". */
function tcpFlags(r: RuleReader): void {
  const flags = r.words.takeWhile((w) => TCP_FLAGS.test(w));
  const eq = flags.indexOf("==");
  const value = eq >= 0 ? flags[eq + 1] : flags[0];
  if (value === "syn" && flags[0] !== "!=") r.rule.syn = neg(true, false);
  else unknown(r, `tcp flags ${flags.join(" ")}`);
}

const transport: Handler = (r, proto) => {
  // "udp dport 53" only matches UDP: a TCP connection never matches it.
  if (proto !== "th") r.rule.protocol ??= neg(proto, false);
  const key = r.words.take();
  if (key === "dport" || key === "sport") return readPorts(r, key);
  if (proto === "tcp" && key === "flags") return tcpFlags(r);
  unknown(r, `${proto} ${key} ${r.words.operand().value}`);
};

const icmp: Handler = (r, proto) => {
  r.rule.protocol = neg(proto, false);
  if (r.words.peek() === "type" || r.words.peek() === "code") {
    r.words.skip();
    r.words.operand();
  }
};

function ctState(r: RuleReader): void {
  if (r.words.peek() === "vmap") {
    r.words.skip();
    return verdictMap(r, r.words.take(), "new");
  }
  const { negated, value } = r.words.operand();
  const states = elements(value)
    .flatMap((s) => s.split(","))
    .map((s) => s.trim().toUpperCase());
  r.rule.states = neg(states, negated);
}

const ct: Handler = (r) => {
  const key = r.words.take();
  if (key === "state") return ctState(r);
  if (key === "status") {
    const { negated, value } = r.words.operand();
    // `ct status dnat`: the connection was DNATed, as every published-port connection is.
    if (elements(value).includes("dnat")) r.rule.states = neg(["DNAT"], negated);
    else unknown(r, `ct status ${value}`);
    return;
  }
  if (key === "original" && r.words.peek() === "proto-dst") {
    r.words.skip();
    return readPorts(r, "proto-dst");
  }
  unknown(r, `ct ${key} ${untilVerdict(r).join(" ")}`);
};

const fib: Handler = (r) => {
  const expr = r.words.takeWhile((w) => !/^(type|oif|oifname)$/.test(w));
  const what = r.words.take();
  unknown(r, `fib ${expr.join(" ")} ${what} ${r.words.operand().value}`);
};

/** `xt match "…"` / `xt target "…"`: what iptables-nft could not translate. */
const xt: Handler = (r) => {
  const kind = r.words.take();
  const name = unquote(r.words.take());
  if (kind !== "target") return unknown(r, `xt ${kind} "${name}"`);
  if (name === "REJECT") r.rule.action = "reject";
  else if (name === "DROP") r.rule.action = "drop";
  else if (name === "ACCEPT") r.rule.action = "accept";
  // MASQUERADE, LOG...: no verdict
};

const verdict: Handler = (r, word) => {
  setVerdict(r.rule, word);
  if (word === "reject" || word === "queue") r.words.skipToEnd(); // "reject with icmpx …"
};

const jump: Handler = (r, word) => setVerdict(r.rule, word, r.words.take());

// Rewrites and offloads: no filtering verdict follows.
const rewrite: Handler = (r) => r.words.skipToEnd();

const mark: Handler = (r) => {
  if (r.words.peek() === "set") r.words.skip(2);
  else unknown(r, `mark ${r.words.operand().value}`);
};

const HANDLERS: Record<string, Handler> = {
  counter,
  log,
  comment: (r) => r.words.skip(),
  limit,
  quota: limit,
  iifname: inbound,
  iif: inbound,
  oifname: outbound,
  oif: outbound,
  meta,
  ip: address,
  ip6: address,
  tcp: transport,
  udp: transport,
  udplite: transport,
  sctp: transport,
  th: transport,
  icmp,
  icmpv6: icmp,
  ct,
  fib,
  xt,
  accept: verdict,
  drop: verdict,
  reject: verdict,
  return: verdict,
  continue: verdict,
  queue: verdict,
  jump,
  goto: jump,
  masquerade: rewrite,
  snat: rewrite,
  dnat: rewrite,
  redirect: rewrite,
  tproxy: rewrite,
  notrack: rewrite,
  flow: rewrite,
  synproxy: rewrite,
  mark,
};

/** Reads one rule line into a PacketRule. Unknown expressions make the rule a "maybe" match. */
export function ruleFromNft(line: string): PacketRule {
  const raw = line.trim();
  const r: RuleReader = {
    words: new WordReader(tokenize(raw)),
    rule: { action: "continue", unknown: [], raw },
  };
  while (!r.words.atEnd()) {
    const word = r.words.take();
    const handler = Object.hasOwn(HANDLERS, word) ? HANDLERS[word] : undefined;
    if (handler) handler(r, word);
    else unknown(r, word);
  }
  return r.rule;
}
