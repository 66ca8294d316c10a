import { createServer } from "node:net";
import type { ContainerSummary } from "../engine/types.js";
import { LABELS, parsePortsLabel } from "../labels.js";
import { hostPortsByPurpose } from "../published-ports.js";
import type { PortUse } from "./facts.js";

/** Tries to listen on the port: the only check that sees host processes and docker-proxy alike. */
export type PortListenCheck = (port: number, host: string) => Promise<boolean>;

const listenOnce = (port: number, host: string): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });

/** Pauses between tries: another `up` probing the same port holds it for a moment only. */
const RETRY_PAUSES_MS = [30, 120];

export const listenCheck: PortListenCheck = async (port, host) => {
  if (await listenOnce(port, host)) return true;
  for (const pause of RETRY_PAUSES_MS) {
    await new Promise((r) => setTimeout(r, pause));
    if (await listenOnce(port, host)) return true;
  }
  return false;
};

/**
 * The host TCP ports an environment of ours adds with `--publish`, running or not: its spec label
 * lists them as `docker run -p` writes them (`[IP:]HOST:CONTAINER`, `/udp` for UDP).
 */
function publishedByOurs(c: ContainerSummary): number[] {
  let publish: unknown;
  try {
    publish = (JSON.parse(c.labels[LABELS.spec] ?? "{}") as { publish?: unknown }).publish;
  } catch {
    return [];
  }
  if (!Array.isArray(publish)) return [];
  return publish.flatMap((entry) => {
    const m = typeof entry === "string" ? /(?:^|:)(\d+):\d+$/.exec(entry) : null;
    return m?.[1] ? [Number(m[1])] : [];
  });
}

/**
 * Which of the candidate host ports are taken, and by whom when it can be told: one of our
 * environments, another container (from the engine's published ports), or a host process.
 */
export async function probePorts(
  candidates: number[],
  containers: ContainerSummary[],
  canListen: PortListenCheck = listenCheck,
  host = "0.0.0.0",
): Promise<PortUse[]> {
  const uses = new Map<number, PortUse>();
  for (const c of containers) {
    const ours = c.labels[LABELS.managed] === "true";
    // A stopped environment of ours still owns its ports: starting it again would clash. The
    // engine says which (a container started from an edited script has other ports than its
    // labels); the labels add what a created, not yet started one is about to take.
    const hostPorts = ours
      ? [
          ...Object.values(hostPortsByPurpose(c)),
          ...Object.values(parsePortsLabel(c.labels[LABELS.ports])),
          ...publishedByOurs(c),
        ]
      : c.ports.map((p) => p.hostPort);
    for (const port of hostPorts) {
      if (uses.has(port)) continue;
      uses.set(port, {
        port,
        by: ours ? "modelbox-dev" : "container",
        detail: ours ? (c.labels[LABELS.name] ?? c.name) : c.name,
      });
    }
  }
  const unique = [...new Set(candidates)].filter((p) => !uses.has(p));
  const free = await Promise.all(unique.map((p) => canListen(p, host)));
  unique.forEach((port, i) => {
    if (!free[i]) uses.set(port, { port, by: "host" });
  });
  return [...uses.values()].sort((a, b) => a.port - b.port);
}
