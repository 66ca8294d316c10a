/** A `WWW-Authenticate` challenge: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export interface AuthChallenge {
  scheme: "bearer" | "basic" | "other";
  params: Record<string, string>;
}

// name=value pairs; a quoted value may hold commas (a scope listing "pull,push").
const PARAM = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;

export function parseWwwAuthenticate(header: string | null): AuthChallenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!match?.[1]) return undefined;
  const name = match[1].toLowerCase();
  const params: Record<string, string> = {};
  for (const m of (match[2] ?? "").matchAll(PARAM)) {
    const key = m[1];
    if (key) params[key.toLowerCase()] = (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return { scheme: name === "bearer" ? "bearer" : name === "basic" ? "basic" : "other", params };
}
