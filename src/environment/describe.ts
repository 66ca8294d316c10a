import type { AccessOutcome } from "../access/access-report.js";
import type { ContainerDetails, ContainerSummary } from "../engine/types.js";
import type { Reach } from "../connect-address.js";
import { LABELS, parsePortsLabel } from "../labels.js";
import type { EditorReport, HttpReport, PortsByPurpose, SshReport } from "./types.js";

/** How a user reaches an environment, from its labels and published ports alone. */
export interface AccessInfo {
  ports: PortsByPurpose;
  ssh?: { host: string; port: number; user: string; command: string };
  /** `forward`: the command that makes `url` work here (an SSH tunnel). */
  editor?: { url: string; forward?: string };
  http?: { port: number; containerPort: number };
}

/** Ports by purpose, from what the engine publishes (labels say which is which). */
export function portsByPurpose(c: ContainerSummary): PortsByPurpose {
  return parsePortsLabel(c.labels[LABELS.ports]);
}

/** How a user reaches the environment: ssh command, editor URL, HTTP port. */
export function accessInfo(c: ContainerDetails | ContainerSummary, reach: Reach): AccessInfo {
  const ports = portsByPurpose(c);
  const host = reach.hostAddress;
  const info: AccessInfo = { ports };
  if (ports.ssh !== undefined) {
    const jump = reach.proxyJump ? `-J ${reach.proxyJump} ` : "";
    info.ssh = {
      host,
      port: ports.ssh,
      user: "root",
      command: `ssh ${jump}root@${host} -p ${ports.ssh}`,
    };
  }
  if (ports.editor !== undefined) {
    // Ports on a remote loopback: the editor is reached through `modelbox-dev forward`.
    info.editor = reach.proxyJump
      ? {
          url: `http://127.0.0.1:${ports.editor}/editor/`,
          forward: `modelbox-dev forward ${c.name}`,
        }
      : { url: `http://${host}:${ports.editor}/editor/` };
  }
  if (ports.http !== undefined) {
    const published = c.ports.find((p) => p.hostPort === ports.http);
    info.http = { port: ports.http, containerPort: published?.containerPort ?? ports.http };
  }
  return info;
}

/** --json: the generic access info, refined by what the access steps (or probes) found. */
export function accessJson(
  info: AccessInfo,
  outcome: Pick<AccessOutcome, "ssh" | "editor" | "http">,
): { ssh?: SshReport; editor?: EditorReport; http?: HttpReport } {
  return {
    ...(info.ssh || outcome.ssh ? { ssh: { ...info.ssh, ...outcome.ssh } as SshReport } : {}),
    ...(info.editor || outcome.editor
      ? { editor: { ...info.editor, ...outcome.editor } as EditorReport }
      : {}),
    ...(info.http || outcome.http ? { http: { ...info.http, ...outcome.http } as HttpReport } : {}),
  };
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}
