import { BlockList, isIP } from "node:net";
import { ModelboxDevError } from "../errors.js";

/**
 * The editor's access list: `[acl] allow = [ "127.0.0.1/8", … ]` in the server's modelbox.conf
 * (TOML). Edited as text so that everything else in the file, comments included, stays as the
 * tool wrote it.
 */

/** An address or CIDR for the ACL (`--editor-allow`), e.g. 10.0.0.0/8 or 192.168.1.20. */
export function parseCidr(text: string): string {
  const value = text.trim();
  const [address = "", prefix, extra] = value.split("/");
  const family = isIP(address);
  const bits = family === 4 ? 32 : 128;
  const prefixOk =
    prefix === undefined ||
    (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits && extra === undefined);
  if (family === 0 || !prefixOk) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--editor-allow ${JSON.stringify(text)} is not an IP address or CIDR.`,
      "E.g. --editor-allow 10.0.0.0/8 or --editor-allow 192.168.1.20 (repeatable).",
    );
  }
  return value;
}

interface Span {
  start: number;
  end: number;
}

interface ArrayLiteral extends Span {
  /** The string items, with where each one ends in the text. */
  items: Array<{ value: string; end: number }>;
}

/** The `[acl]` section's span: from after its header line to the next table header. */
function aclSection(text: string): Span | undefined {
  const header = /^[ \t]*\[acl\][ \t]*(#.*)?$/m.exec(text);
  if (!header) return undefined;
  const start = header.index + header[0].length;
  const next = /^[ \t]*\[/m.exec(text.slice(start));
  return { start, end: next ? start + next.index : text.length };
}

/** Scans `[ "a", "b" ]` from the `[`, skipping comments; string escapes are kept simple (\"). */
function scanArray(text: string, open: number): ArrayLiteral | undefined {
  const items: ArrayLiteral["items"] = [];
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "]") return { start: open, end: i, items };
    if (ch === "#") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== ch) {
        if (ch === '"' && text[j] === "\\" && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      items.push({ value, end: j + 1 });
      i = j + 1;
      continue;
    }
    i++;
  }
  return undefined;
}

function findAllow(text: string, section: Span): ArrayLiteral | undefined {
  const body = text.slice(section.start, section.end);
  const key = /^[ \t]*allow[ \t]*=[ \t]*\[/m.exec(body);
  if (!key) return undefined;
  return scanArray(text, section.start + key.index + key[0].length - 1);
}

/** The entries of `[acl] allow` (empty when the file has none). */
export function aclAllowList(conf: string): string[] {
  const section = aclSection(conf);
  const allow = section && findAllow(conf, section);
  return allow ? allow.items.map((i) => i.value) : [];
}

/** Whether `entry` is already admitted by one of `allow` (an address inside a listed CIDR). */
function covered(entry: string, allow: string[]): boolean {
  if (allow.includes(entry)) return true;
  const [address = "", prefix] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || (prefix !== undefined && Number(prefix) !== (family === 4 ? 32 : 128))) {
    return false;
  }
  const list = new BlockList();
  for (const a of allow) {
    const [net = "", bits] = a.split("/");
    const f = isIP(net);
    if (f === 0) continue;
    const type = f === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(net, type);
    else list.addSubnet(net, Number(bits), type);
  }
  return list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** The conf with `wanted` entries added to `[acl] allow` (those not admitted already). */
export function withAclEntries(conf: string, wanted: string[]): { text: string; added: string[] } {
  const added: string[] = [];
  for (const w of wanted) {
    if (!covered(w, [...aclAllowList(conf), ...added])) added.push(w);
  }
  if (added.length === 0) return { text: conf, added };
  const quoted = added.map((a) => JSON.stringify(a));
  const section = aclSection(conf);
  if (!section) {
    const sep = conf === "" || conf.endsWith("\n") ? "" : "\n";
    const list = ['"127.0.0.1/8"', ...quoted].map((q) => `    ${q}`).join(",\n");
    return { text: `${conf}${sep}\n[acl]\nallow = [\n${list}\n]\n`, added };
  }
  const allow = findAllow(conf, section);
  if (!allow) {
    const list = quoted.map((q) => `    ${q}`).join(",\n");
    const at = section.start;
    return { text: `${conf.slice(0, at)}\nallow = [\n${list}\n]${conf.slice(at)}`, added };
  }
  const last = allow.items[allow.items.length - 1];
  if (!last) {
    const at = allow.start + 1;
    return { text: `${conf.slice(0, at)}${quoted.join(", ")}${conf.slice(at)}`, added };
  }
  // Right after the last item: an existing trailing comma then follows our last entry.
  const indent = /\n([ \t]*)[^\n]*$/.exec(conf.slice(0, last.end))?.[1] ?? "    ";
  const insert = quoted.map((q) => `,\n${indent}${q}`).join("");
  return { text: `${conf.slice(0, last.end)}${insert}${conf.slice(last.end)}`, added };
}

function isLoopback(address: string): boolean {
  return address === "::1" || (isIP(address) === 4 && address.startsWith("127."));
}

/**
 * Whom the editor must admit. A browser on the Docker host reaches a port published on loopback
 * through the engine's proxy, so it arrives from the bridge gateway; one that opens the printed
 * URL with the host's own external address is DNATed and keeps that address as its source.
 * Others (remote browsers) come from `--editor-allow`.
 */
export function editorClients(options: {
  gateway?: string;
  hostAddress?: string;
  extra?: string[];
}): string[] {
  const list: string[] = [];
  if (options.gateway && isIP(options.gateway)) list.push(options.gateway);
  const host = options.hostAddress;
  if (host && isIP(host) && !isLoopback(host)) list.push(host);
  list.push(...(options.extra ?? []));
  return [...new Set(list)];
}
