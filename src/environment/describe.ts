import type { AccessOutcome } from "../access/access-report.js";
import type { ContainerDetails, ContainerSummary } from "../engine/types.js";
import type { Reach } from "../connect-address.js";
import { LABELS } from "../labels.js";
import type { GpuPlan, NpuPlan } from "../plan/types.js";
import { HOME_TARGET } from "../plan/plan-home-volume.js";
import { DOCKER_SHM_BYTES } from "../plan/shm-size.js";
import { bindAddressOf, bindingsByPurpose, hostPortsByPurpose } from "../published-ports.js";
import type {
  EditorReport,
  EnvironmentSettings,
  HttpReport,
  PortsByPurpose,
  SshReport,
} from "./types.js";

/** How a user reaches an environment, from its labels and published ports alone. */
export interface AccessInfo {
  ports: PortsByPurpose;
  ssh?: { host: string; port: number; user: string; command: string };
  /** `forward`: the command that makes `url` work here (an SSH tunnel). */
  editor?: { url: string; forward?: string };
  http?: { port: number; containerPort: number };
}

/** Ports by purpose, from what the engine publishes (container ports say which is which). */
export function portsByPurpose(c: ContainerSummary): PortsByPurpose {
  return hostPortsByPurpose(c);
}

/** The host address the ports are published on, and where this host reaches them. */
export function bindAddress(c: ContainerSummary): string {
  return bindAddressOf(c);
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
    const published = bindingsByPurpose(c).http;
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

/** The names of the user's variables, from the spec label (their values are never recorded). */
function userEnvNames(c: ContainerSummary): string[] {
  try {
    const spec = JSON.parse(c.labels[LABELS.spec] ?? "{}") as { userEnv?: { names?: unknown } };
    const names = spec.userEnv?.names;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === "string") : [];
  } catch {
    return [];
  }
}

/** Published ports, home volume, variables by name and limits, as the engine reports them. */
export function settingsOf(c: ContainerDetails): EnvironmentSettings {
  const own = new Set(Object.values(portsByPurpose(c)));
  const { limits } = c;
  return {
    published: c.ports
      .filter((p) => p.protocol === "udp" || !own.has(p.hostPort))
      .map((p) => ({ ...p, protocol: p.protocol ?? "tcp" })),
    ...(c.volumes.some((v) => v.target === HOME_TARGET)
      ? { homeVolume: c.volumes.find((v) => v.target === HOME_TARGET)?.name }
      : {}),
    env: userEnvNames(c),
    shmSizeBytes: limits.shmSizeBytes ?? DOCKER_SHM_BYTES,
    ...(limits.memoryBytes !== undefined ? { memoryBytes: limits.memoryBytes } : {}),
    ...(limits.nanoCpus !== undefined ? { cpus: limits.nanoCpus / 1e9 } : {}),
    ulimits: limits.ulimits.map((u) => `${u.name}=${u.soft}:${u.hard}`),
  };
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}
