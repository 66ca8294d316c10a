import type { AccessOutcome } from "../access/access-report.js";
import type { ContainerDetails, ContainerSummary } from "../engine/types.js";
import { detectHostAddress } from "../host/host-address.js";
import { LABELS, parsePortsLabel } from "../labels.js";
import type { GpuPlan, NpuPlan } from "../plan/types.js";
import type { EditorReport, HttpReport, PortsByPurpose, SshReport } from "./types.js";

/** How a user reaches an environment, from its labels and published ports alone. */
export interface AccessInfo {
  ports: PortsByPurpose;
  ssh?: { host: string; port: number; user: string; command: string };
  editor?: { url: string };
  http?: { port: number; containerPort: number };
}

/** Ports by purpose, from what the engine publishes (labels say which is which). */
export function portsByPurpose(c: ContainerSummary): PortsByPurpose {
  return parsePortsLabel(c.labels[LABELS.ports]);
}

/**
 * The GPUs and Ascend chips the environment was given, from the spec its labels record
 * ("all", or the indices); absent when it has none.
 */
export function acceleratorsOf(c: ContainerSummary): { gpus?: string; npus?: string } {
  let spec: { gpu?: GpuPlan; npu?: NpuPlan };
  try {
    spec = JSON.parse(c.labels[LABELS.spec] ?? "{}") as typeof spec;
  } catch {
    return {};
  }
  const { gpu, npu } = spec;
  return {
    ...(gpu && gpu.mode !== "none"
      ? { gpus: gpu.devices === "all" ? "all" : gpu.devices.join(",") }
      : {}),
    ...(npu && npu.mode !== "none" && npu.chips.length ? { npus: npu.chips.join(",") } : {}),
  };
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
