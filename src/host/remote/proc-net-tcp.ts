/** A listening TCP socket: its address ("0.0.0.0", "::", "127.0.0.1", …) and port. */
export interface Listener {
  address: string;
  port: number;
}

const LISTEN = "0A";

/** IPv4 in /proc/net/tcp: one 32-bit word in the kernel's (little-endian) byte order. */
function ipv4(hex: string): string {
  const bytes = hex.match(/../g) ?? [];
  return bytes
    .reverse()
    .map((b) => parseInt(b, 16))
    .join(".");
}

/** IPv6 in /proc/net/tcp6: four 32-bit words, each in the kernel's byte order. */
function ipv6(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse());
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    groups.push(parseInt(`${bytes[i]}${bytes[i + 1]}`, 16).toString(16));
  }
  const text = groups.join(":");
  // The two forms a probe needs to tell apart: any address, and IPv4-mapped ones.
  if (/^0(:0){7}$/.test(text)) return "::";
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(text);
  if (mapped) {
    const [hi, lo] = [parseInt(mapped[1] ?? "0", 16), parseInt(mapped[2] ?? "0", 16)];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return text;
}

/**
 * The listening sockets in the text of /proc/net/tcp and /proc/net/tcp6 (read in the host's
 * network namespace, as a probe container with the host's network sees them).
 */
export function parseProcNetTcp(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local || fields[3] !== LISTEN || !/^[0-9A-F]+:[0-9A-F]{4}$/i.test(local)) continue;
    const [addr = "", port = ""] = local.split(":");
    out.push({ address: addr.length === 8 ? ipv4(addr) : ipv6(addr), port: parseInt(port, 16) });
  }
  return out;
}

const ANY = new Set(["0.0.0.0", "::"]);

/**
 * Whether binding `host:port` would succeed beside these listeners: a wildcard on either side
 * clashes with everything on that port; otherwise only the same address does.
 */
export function portFree(listeners: Listener[], port: number, host: string): boolean {
  return !listeners.some(
    (l) => l.port === port && (ANY.has(l.address) || ANY.has(host) || l.address === host),
  );
}
