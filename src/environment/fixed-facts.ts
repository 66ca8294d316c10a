import type { ContainerDetails, ContainerSummary, PublishedPort } from "../engine/types.js";
import { heldAccelerators } from "../host/held-accelerators.js";

/**
 * What `ls` needs from a container's inspection that its list entry lacks, all of it fixed when
 * the container is created and unchanged while its id lives (`docker update` changes limits and
 * the restart policy, never devices, variables, runtime or port bindings): so it can be kept by
 * id and the inspection skipped the next time.
 */
export interface FixedFacts {
  /** The image as created (the list reports an id instead once the tag moves). */
  image: string;
  /** ISO time, as precise as the inspection gives it (the list gives seconds). */
  created: string;
  /** The port bindings asked at create: what a stopped container will publish. */
  bindings: PublishedPort[];
  /** The GPUs (ids as the engine has them) and Ascend chips it holds. */
  held: { gpus: string[]; npuChips: number[] };
}

/** The facts from an inspection. */
export function fixedFactsOf(c: ContainerDetails): FixedFacts {
  return {
    image: c.image,
    created: c.created.toISOString(),
    // A stopped container's ports are its bindings (an engine that does not say them apart).
    bindings: c.bindings ?? (c.status === "running" ? [] : c.ports),
    held: heldAccelerators(c),
  };
}

/**
 * The list entry completed with the fixed facts: what the inspection would have said. A running
 * container's list entry has its live ports; with none there (or stopped), the bindings count.
 */
export function withFixedFacts(c: ContainerSummary, facts: FixedFacts): ContainerSummary {
  return {
    ...c,
    image: facts.image,
    created: new Date(facts.created),
    ports: c.ports.length > 0 ? c.ports : facts.bindings,
  };
}

function isPort(p: unknown): p is PublishedPort {
  const v = p as Partial<PublishedPort> | null;
  return (
    typeof v?.hostIp === "string" &&
    typeof v.hostPort === "number" &&
    typeof v.containerPort === "number" &&
    (v.protocol === undefined || v.protocol === "udp")
  );
}

/** A cache entry as read from disk: anything else is a miss. */
export function isFixedFacts(value: unknown): value is FixedFacts {
  const v = value as Partial<FixedFacts> | null;
  return (
    typeof v?.image === "string" &&
    typeof v.created === "string" &&
    !Number.isNaN(Date.parse(v.created)) &&
    Array.isArray(v.bindings) &&
    v.bindings.every(isPort) &&
    Array.isArray(v.held?.gpus) &&
    v.held.gpus.every((g) => typeof g === "string") &&
    Array.isArray(v.held.npuChips) &&
    v.held.npuChips.every((n) => typeof n === "number")
  );
}
