import { createHash } from "node:crypto";
import type { PreviousPorts } from "./plan-ports.js";
import { formatPublish } from "./plan-publish.js";
import type { Plan, PortPurpose } from "./types.js";

/** The parts of a plan that shape the container; two plans with equal specs make equal containers. */
export type PlanSpec = Pick<
  Plan,
  | "image"
  | "env"
  | "ports"
  | "mounts"
  | "tmpfs"
  | "cgroupnsMode"
  | "gpu"
  | "npu"
  | "devices"
  | "runtime"
  | "privileged"
  | "capAdd"
  | "securityOpt"
  | "stopTimeoutSeconds"
  | "resources"
>;

/**
 * What newer options add to the spec, only when they are asked for: an environment made before
 * they existed, or without them, keeps its spec (and hash), so `up` does not call it changed.
 * Defaults (the home volume, the size of /dev/shm) are modelbox-dev's, not the user's options.
 */
function askedFor(plan: Omit<Plan, "specHash">): Record<string, unknown> {
  return {
    publish: plan.publish.length ? plan.publish.map(formatPublish).sort() : undefined,
    userEnv: plan.userEnv ? { names: plan.userEnv.names, hash: plan.userEnv.hash } : undefined,
    // Undefined when not asked for: the hash of a plan without limits stays what it was.
    resources: plan.resources,
    shmSize: plan.shm.source === "option" ? plan.shm.sizeBytes : undefined,
    ulimits: plan.ulimits.length
      ? plan.ulimits.map((u) => `${u.name}=${u.soft}:${u.hard}`).sort()
      : undefined,
    homeVolume: plan.volumes.length === 0 ? false : undefined,
  };
}

export function specOf(plan: Omit<Plan, "specHash">): Record<string, unknown> {
  return {
    image: plan.image,
    env: plan.env,
    ports: plan.ports.map(
      (p) => `${p.purpose}=${p.hostIp ? `${p.hostIp}:` : ""}${p.hostPort}->${p.containerPort}`,
    ),
    mounts: plan.mounts.map((m) => `${m.source}:${m.target}${m.readOnly ? ":ro" : ""}`),
    tmpfs: plan.tmpfs,
    cgroupnsMode: plan.cgroupnsMode ?? "",
    gpu: plan.gpu,
    npu: plan.npu,
    devices: plan.devices.map((d) => d.hostPath),
    runtime: plan.runtime ?? "",
    privileged: plan.privileged,
    capAdd: plan.capAdd,
    securityOpt: plan.securityOpt,
    stopTimeoutSeconds: plan.stopTimeoutSeconds,
    ...askedFor(plan),
  };
}

const SPEC_PORT = /^(ssh|editor|http)=(?:(.*):)?(\d+)->(\d+)$/;

/** The port mappings recorded in a spec label (see specOf), by purpose. */
export function portsFromSpec(specJson: string | undefined): PreviousPorts {
  const out: PreviousPorts = {};
  let spec: { ports?: unknown };
  try {
    spec = JSON.parse(specJson ?? "{}") as { ports?: unknown };
  } catch {
    return out;
  }
  if (!Array.isArray(spec.ports)) return out;
  for (const entry of spec.ports) {
    const m = typeof entry === "string" ? SPEC_PORT.exec(entry) : null;
    if (m?.[1] && m[3] && m[4]) {
      out[m[1] as PortPurpose] = { hostPort: Number(m[3]), containerPort: Number(m[4]) };
    }
  }
  return out;
}

/** Keys sorted at every level so the hash does not depend on property order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function hashSpec(spec: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex").slice(0, 16);
}

/** Human-readable differences between two specs, one line per changed key. */
export function diffSpecs(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const lines: string[] = [];
  for (const key of keys) {
    const a = canonicalJson(before[key]);
    const b = canonicalJson(after[key]);
    if (a !== b) lines.push(`${key}: ${a ?? "(none)"} → ${b ?? "(none)"}`);
  }
  return lines;
}
