import type { ContainerDetails } from "../engine/types.js";
import type { GpuInfo } from "../host/facts.js";
import { heldAccelerators, resolveHeldGpus } from "../host/held-accelerators.js";
import { probeNvidia } from "../host/probe-nvidia.js";
import { systemRunner } from "../host/runner.js";
import type { AcceleratorReport } from "./types.js";

/**
 * The GPUs and chips each environment holds, as the engine reports them. nvidia-smi is asked for
 * the host's GPUs (to give each its index and UUID) only when some environment holds one and
 * the caller did not pass them.
 */
export async function acceleratorReports(
  containers: readonly ContainerDetails[],
  hostGpus?: readonly GpuInfo[],
): Promise<AcceleratorReport[]> {
  return reportsOfHeld(containers.map(heldAccelerators), hostGpus);
}

/** The same from what each holds (heldAccelerators), with index and UUID from the host's GPUs. */
export async function reportsOfHeld(
  held: ReadonlyArray<{ gpus: string[]; npuChips: number[] }>,
  hostGpus?: readonly GpuInfo[],
): Promise<AcceleratorReport[]> {
  const gpus =
    hostGpus ??
    (held.some((h) => h.gpus.length > 0) ? (await probeNvidia(systemRunner())).gpus : []);
  return held.map((h) => ({
    gpus: resolveHeldGpus(h.gpus, gpus),
    ...(h.gpus.includes("all") ? { allGpus: true as const } : {}),
    npuChips: h.npuChips,
  }));
}

/** "0,1" for a table: indices where known, else the UUID's first part. */
export function gpuColumn(report: AcceleratorReport): string {
  const gpus = report.gpus.map((g) =>
    g.index !== undefined ? String(g.index) : g.id.slice(0, 12),
  );
  const text = report.allGpus && gpus.length === 0 ? "all" : gpus.join(",");
  const chips = report.npuChips.length ? `npu ${report.npuChips.join(",")}` : "";
  return [text, chips].filter((t) => t).join(" ") || "-";
}
