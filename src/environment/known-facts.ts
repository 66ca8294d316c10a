import type { ContainerEngine, ContainerSummary } from "../engine/types.js";
import type { AcceleratorsInUse } from "../host/facts.js";
import { acceleratorsInUseOf } from "../host/held-accelerators.js";
import { LABELS } from "../labels.js";
import { type FixedFacts, fixedFactsOf, withFixedFacts } from "./fixed-facts.js";
import { readFixedFacts, writeFixedFacts } from "./fixed-facts-cache.js";

/**
 * The listed containers as their inspection shows them (image as created, created to the
 * millisecond, a stopped one's port bindings) and the accelerators each holds. All of that is
 * fixed at create, so it is kept by container id: only containers not seen before are inspected.
 * A container gone between list and inspection is left out.
 */
export async function completedFromInspection(
  engine: ContainerEngine,
  listed: ContainerSummary[],
  every: ContainerSummary[],
  /** The cache as read already (`ls` reads it while the engine lists). */
  cached?: Promise<Map<string, FixedFacts>>,
): Promise<Array<{ c: ContainerSummary; held: FixedFacts["held"] }>> {
  if (listed.length === 0) return [];
  const url = engine.connection.url;
  const known = await (cached ?? readFixedFacts(url));
  const misses = listed.filter((c) => !known.has(c.id));
  const inspected = await Promise.all(misses.map((c) => engine.inspectContainer(c.id)));
  for (const d of inspected) if (d) known.set(d.id, fixedFactsOf(d));
  const present = new Set(every.map((c) => c.id));
  const removed = [...known.keys()].filter((id) => !present.has(id));
  if (misses.length > 0 || removed.length > 0) {
    for (const id of removed) known.delete(id);
    await writeFixedFacts(url, known).catch(() => undefined);
  }
  return listed.flatMap((c) => {
    const facts = known.get(c.id);
    return facts ? [{ c: withFixedFacts(c, facts), held: facts.held }] : [];
  });
}

/**
 * Every container on the engine with the host ports it publishes: the list shows them only for
 * running containers; our stopped environments' bindings come from their fixed facts (inspected
 * only when not seen before). For the host probes and the port checks of `up`.
 */
export async function listWithKnownPorts(engine: ContainerEngine): Promise<ContainerSummary[]> {
  const every = await engine.listContainers({ all: true });
  const ours = every.filter((c) => c.labels[LABELS.managed] === "true");
  const stopped = ours.filter((c) => c.status !== "running");
  const completed = new Map(
    (await completedFromInspection(engine, stopped, ours)).map(({ c }) => [c.id, c]),
  );
  return every.map((c) => {
    const known = completed.get(c.id);
    return known ? { ...c, ports: known.ports } : c;
  });
}

/**
 * The GPUs and chips our running environments hold, from their fixed facts: what they hold is
 * fixed at create, so only environments not seen before are inspected (the host probes of `up`).
 */
export async function knownAcceleratorsInUse(
  engine: ContainerEngine,
  containers: readonly ContainerSummary[],
): Promise<AcceleratorsInUse[]> {
  const ours = containers.filter((c) => c.labels[LABELS.managed] === "true");
  const running = ours.filter((c) => c.status === "running");
  const completed = await completedFromInspection(engine, running, ours);
  return completed.flatMap(({ c, held }) => acceleratorsInUseOf(c, held) ?? []);
}
