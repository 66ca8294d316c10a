import type { ContainerEngine, VolumeDetails } from "../engine/types.js";
import { LABELS, MANAGED_FILTER } from "../labels.js";
import { listEnvironments } from "./find.js";
import type { VolumeReport } from "./types.js";
import { byName } from "../name-order.js";

/** The volumes modelbox-dev made for the environment of this name (found by their labels). */
export function volumesOf(engine: ContainerEngine, name: string): Promise<VolumeDetails[]> {
  return engine.listVolumes({ labels: [MANAGED_FILTER, `${LABELS.name}=${name}`] });
}

function report(v: VolumeDetails): VolumeReport {
  return {
    name: v.name,
    environment: v.labels[LABELS.name] ?? "",
    holds: v.labels[LABELS.volume] ?? "",
    ...(v.createdAt ? { created: v.createdAt.toISOString() } : {}),
  };
}

/** Our volumes whose environment no longer exists (kept by `rm`; `up NAME` would use them). */
export async function orphanVolumes(engine: ContainerEngine): Promise<VolumeReport[]> {
  const [volumes, environments] = await Promise.all([
    engine.listVolumes({ labels: [MANAGED_FILTER] }),
    listEnvironments(engine, true),
  ]);
  const alive = new Set(environments.map((e) => e.labels[LABELS.name] ?? e.name));
  return volumes
    .filter((v) => !alive.has(v.labels[LABELS.name] ?? ""))
    .map(report)
    .sort((a, b) => byName(a.name, b.name));
}
