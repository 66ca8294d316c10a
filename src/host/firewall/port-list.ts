import type { PortRange } from "./netfilter.js";

/** "80", "80:90" (iptables), "80-90" (nft), "80,443" (multiport) → ranges; undefined if not numeric. */
export function parsePortList(text: string): PortRange[] | undefined {
  const ranges: PortRange[] = [];
  for (const part of text.split(",")) {
    const p = part.trim();
    if (p === "") continue;
    const named = SERVICE_PORTS[p];
    if (named !== undefined) {
      ranges.push({ from: named, to: named });
      continue;
    }
    const m = /^(\d+)(?:[:-](\d+))?$/.exec(p);
    if (!m) return undefined;
    const from = Number(m[1]);
    ranges.push({ from, to: m[2] !== undefined ? Number(m[2]) : from });
  }
  return ranges.length > 0 ? ranges : undefined;
}

// Tools print /etc/services names unless told -n; these are the ones seen next to Docker hosts.
const SERVICE_PORTS: Record<string, number> = {
  ssh: 22,
  domain: 53,
  http: 80,
  https: 443,
  "http-alt": 8080,
  webcache: 8080,
};
