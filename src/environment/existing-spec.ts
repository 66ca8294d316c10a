import type { ContainerDetails } from "../engine/types.js";
import { LABELS } from "../labels.js";
import { canonicalJson, specOf } from "../plan/spec-hash.js";
import type { Plan } from "../plan/types.js";
import { bindingsByPurpose } from "../published-ports.js";

/** The spec recorded on an environment at create time (its label). */
export function recordedSpec(existing: ContainerDetails): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(existing.labels[LABELS.spec] ?? "{}");
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const allInterfaces = (ip: string) => (ip === "0.0.0.0" ? "" : ip);

/** Port mappings in the spec's form, compared without "all interfaces" spelling differences. */
function portStrings(
  ports: Array<{ purpose: string; hostIp: string; hostPort: number; containerPort: number }>,
) {
  return ports.map(
    (p) =>
      `${p.purpose}=${allInterfaces(p.hostIp) ? `${allInterfaces(p.hostIp)}:` : ""}${p.hostPort}->${p.containerPort}`,
  );
}

/**
 * Whether the environment is what the plan describes: its recorded spec, with the ports the
 * engine really publishes in place of the recorded ones (the script's port variables may have
 * been edited before it ran, and then the labels, spec hash included, still name the old ones).
 */
export function matchesPlan(existing: ContainerDetails, plan: Plan): boolean {
  const recorded = recordedSpec(existing);
  const wanted = { ...specOf(plan), ports: portStrings(plan.ports) };
  const actualPorts = existingSpec(existing).ports ?? [];
  if (canonicalJson(actualPorts) !== canonicalJson(wanted.ports)) return false;
  // Without a readable spec label, the hash is all there is to compare.
  if (Object.keys(recorded).length === 0) {
    return existing.labels[LABELS.specHash] === plan.specHash;
  }
  return canonicalJson({ ...recorded, ports: actualPorts }) === canonicalJson(wanted);
}

/** The recorded spec with the engine's ports, for showing what differs. */
export function existingSpec(existing: ContainerDetails): Record<string, unknown> {
  const bindings = bindingsByPurpose(existing);
  const ports = (["ssh", "editor", "http"] as const).flatMap((purpose) => {
    const b = bindings[purpose];
    return b ? [{ purpose, ...b }] : [];
  });
  return { ...recordedSpec(existing), ...(ports.length ? { ports: portStrings(ports) } : {}) };
}
