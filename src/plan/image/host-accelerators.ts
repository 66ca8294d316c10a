import type { HostFacts } from "../../host/facts.js";

/** What the facts say about the NVIDIA side, reduced to what image choice needs. */
export type NvidiaState =
  { state: "none" } | { state: "broken"; error: string } | { state: "gpu"; driverVersion?: string };

export function nvidiaState(facts: HostFacts): NvidiaState {
  const nvidia = facts.nvidia;
  if (nvidia === undefined || nvidia.smi === "absent") return { state: "none" };
  if (nvidia.smi === "error") return { state: "broken", error: nvidia.smiError ?? "unknown error" };
  if (nvidia.driverVersion === undefined && nvidia.gpus.length === 0) return { state: "none" };
  return nvidia.driverVersion === undefined
    ? { state: "gpu" }
    : { state: "gpu", driverVersion: nvidia.driverVersion };
}

/** "310P" for 310P1..310P3, "310" for plain 310, "other" (910, 310B…), "unknown" when unreported. */
export type AscendFamily = "none" | "310" | "310P" | "other" | "unknown";

export function ascendFamily(facts: HostFacts): AscendFamily {
  const ascend = facts.ascend;
  if (ascend === undefined || ascend.chips.length === 0) return "none";
  if (ascend.chipName === undefined || ascend.chipName.trim() === "") return "unknown";
  const model = ascendChipModel(ascend.chipName);
  if (model.startsWith("310P")) return "310P";
  return model === "310" ? "310" : "other";
}

/** npu-smi prints "310P3"; other tools say "Ascend310P3" or "Ascend 310". */
export function ascendChipModel(chipName: string): string {
  return chipName
    .trim()
    .replace(/^ascend[\s-]*/i, "")
    .toUpperCase();
}

/** ModelBox spells arches x86_64/aarch64; a probe or facts file may say amd64/arm64. */
export function hostArch(facts: HostFacts): string {
  const arch = facts.engine.arch.trim().toLowerCase();
  if (arch === "amd64" || arch === "x64") return "x86_64";
  if (arch === "arm64") return "aarch64";
  return arch;
}
