import type { PublishedPort } from "./engine/types.js";
import { LABELS, type LabelledPurpose, parsePortsLabel } from "./labels.js";

/** The container ports of the images' services: sshd and the editor listen on fixed ports. */
const FIXED_CONTAINER_PORTS = { ssh: 22, editor: 1104 } as const;

export type BindingsByPurpose = Partial<Record<LabelledPurpose, PublishedPort>>;

/** The HTTP port inside, as planned: the spec label's mapping, else the ports label's number. */
function plannedHttpContainerPort(labels: Record<string, string>): number | undefined {
  const spec = labels[LABELS.spec];
  const mapped = spec ? /"http=(?:[^"]*:)?\d+->(\d+)"/.exec(spec)?.[1] : undefined;
  if (mapped) return Number(mapped);
  return parsePortsLabel(labels[LABELS.ports]).http;
}

/** One binding per container port: IPv4 first (Docker publishes 0.0.0.0 and :: alike). */
function firstBinding(ports: PublishedPort[], containerPort: number): PublishedPort | undefined {
  const matching = ports.filter((p) => p.containerPort === containerPort && p.protocol !== "udp");
  return matching.find((p) => !p.hostIp.includes(":")) ?? matching[0];
}

/**
 * Which published port serves what, read from the ports the engine publishes (not from labels,
 * which a hand-edited script leaves stale): sshd and the editor by their fixed container ports,
 * the HTTP flowunit by the container port planned for it, else the one port left over.
 */
export function bindingsByPurpose(c: {
  ports: PublishedPort[];
  labels: Record<string, string>;
}): BindingsByPurpose {
  const out: BindingsByPurpose = {};
  const runtime = c.labels[LABELS.kind] === "runtime";
  if (!runtime) {
    const ssh = firstBinding(c.ports, FIXED_CONTAINER_PORTS.ssh);
    const editor = firstBinding(c.ports, FIXED_CONTAINER_PORTS.editor);
    if (ssh) out.ssh = ssh;
    if (editor) out.editor = editor;
  }
  const planned = plannedHttpContainerPort(c.labels);
  const fixed: number[] = runtime ? [] : Object.values(FIXED_CONTAINER_PORTS);
  const tcp = c.ports.filter((p) => p.protocol !== "udp");
  const leftOver = [...new Set(tcp.map((p) => p.containerPort))].filter((p) => !fixed.includes(p));
  const httpPort =
    planned !== undefined && leftOver.includes(planned)
      ? planned
      : leftOver.length === 1
        ? leftOver[0]
        : undefined;
  const http = httpPort === undefined ? undefined : firstBinding(c.ports, httpPort);
  if (http) out.http = http;
  return out;
}

/** Host ports by purpose, as the engine publishes them. */
export function hostPortsByPurpose(c: {
  ports: PublishedPort[];
  labels: Record<string, string>;
}): Partial<Record<LabelledPurpose, number>> {
  const bindings = bindingsByPurpose(c);
  const out: Partial<Record<LabelledPurpose, number>> = {};
  for (const purpose of ["ssh", "editor", "http"] as const) {
    const binding = bindings[purpose];
    if (binding) out[purpose] = binding.hostPort;
  }
  return out;
}

/** The host address the environment's ports are published on ("" for all interfaces). */
export function bindAddressOf(c: {
  ports: PublishedPort[];
  labels: Record<string, string>;
}): string {
  const b = bindingsByPurpose(c);
  return (b.ssh ?? b.editor ?? b.http ?? c.ports[0])?.hostIp ?? "";
}
