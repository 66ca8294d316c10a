import type { ContainerDetails, ContainerSummary } from "../engine/types.js";
import { LABELS, parsePortsLabel } from "../labels.js";
import { detectHostAddress } from "./context.js";

export interface AccessInfo {
  ports: { ssh?: number; editor?: number; http?: number };
  ssh?: { host: string; port: number; user: string; command: string };
  editor?: { url: string };
  http?: { port: number; containerPort: number };
}

/** Ports by purpose, from what the engine publishes (labels say which is which). */
export function portsByPurpose(c: ContainerSummary): AccessInfo["ports"] {
  return parsePortsLabel(c.labels[LABELS.ports]);
}

/** How a user reaches the environment: ssh command, editor URL, HTTP port. */
export function accessInfo(
  c: ContainerDetails | ContainerSummary,
  hostAddress?: string,
): AccessInfo {
  const ports = portsByPurpose(c);
  const bind = c.ports[0]?.hostIp;
  const host = hostAddress ?? detectHostAddress(bind);
  const info: AccessInfo = { ports };
  if (ports.ssh !== undefined) {
    info.ssh = { host, port: ports.ssh, user: "root", command: `ssh root@${host} -p ${ports.ssh}` };
  }
  if (ports.editor !== undefined) info.editor = { url: `http://${host}:${ports.editor}/editor/` };
  if (ports.http !== undefined) {
    const published = c.ports.find((p) => p.hostPort === ports.http);
    info.http = { port: ports.http, containerPort: published?.containerPort ?? ports.http };
  }
  return info;
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}
