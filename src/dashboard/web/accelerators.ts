import type { AcceleratorReport, HeldGpu } from "../protocol.js";

/** "GPU 0" where the index is known, else the engine's id ("GPU-8f6b2c1a", a UUID shortened). */
function gpuText(gpu: HeldGpu): string {
  if (gpu.index !== undefined) return `GPU ${gpu.index}`;
  return /^(GPU|MIG)-/.test(gpu.id) ? gpu.id.slice(0, 12) : `GPU ${gpu.id}`;
}

/** What an environment holds, as `ls` says it: "GPU 0, GPU 1; NPU 0,1", or "none". */
export function acceleratorsText(report: AcceleratorReport): string {
  const gpus =
    report.allGpus && report.gpus.length === 0 ? "all GPUs" : report.gpus.map(gpuText).join(", ");
  const chips = report.npuChips.length ? `NPU ${report.npuChips.join(",")}` : "";
  return [gpus, chips].filter(Boolean).join("; ") || "none";
}

/** The UUIDs behind the indices, for a tooltip. */
export function acceleratorsTitle(report: AcceleratorReport): string | undefined {
  const uuids = report.gpus.filter((g) => g.uuid).map((g) => `${gpuText(g)}: ${g.uuid}`);
  return uuids.length ? uuids.join("\n") : undefined;
}
