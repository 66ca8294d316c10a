import type { AcceleratorsInUse, HostFacts } from "../host/facts.js";
import { resolveHeldGpus } from "../host/held-accelerators.js";
import { type DoctorCheck, pass, warn } from "./types.js";

const who = (held: AcceleratorsInUse) =>
  held.owner ? `${held.environment} (${held.owner})` : held.environment;

/** Device label → the running environments holding it. */
function byDevice(facts: HostFacts): { gpus: Map<string, string[]>; chips: Map<string, string[]> } {
  const gpus = new Map<string, string[]>();
  const chips = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, holder: string) =>
    map.set(key, [...(map.get(key) ?? []), holder]);
  for (const held of facts.acceleratorsInUse ?? []) {
    for (const gpu of resolveHeldGpus(held.gpus, facts.nvidia?.gpus ?? [])) {
      const label =
        gpu.index !== undefined
          ? `GPU ${gpu.index}${gpu.uuid ? ` (${gpu.uuid})` : ""}`
          : `GPU ${gpu.id}`;
      add(gpus, label, who(held));
    }
    for (const chip of held.npuChips) add(chips, `/dev/davinci${chip}`, who(held));
  }
  return { gpus, chips };
}

/**
 * On a shared server two running environments on one GPU slow each other down and can run out
 * of its memory: name the devices held twice, and who holds them.
 */
export function checkSharing(facts: HostFacts): DoctorCheck[] {
  const inUse = facts.acceleratorsInUse ?? [];
  if (inUse.length === 0) return [];
  const { gpus, chips } = byDevice(facts);
  const shared = [...gpus, ...chips].filter(([, holders]) => holders.length > 1);
  const title = "Shared accelerators";
  if (shared.length === 0) {
    return [
      pass(
        "sharing",
        title,
        `${inUse.length} running environment(s) hold GPUs or NPU chips; none holds one another holds`,
      ),
    ];
  }
  return [
    warn(
      "sharing",
      title,
      shared.map(([device, holders]) => `${device} is held by ${holders.join(", ")}`).join("; "),
      "Agree who keeps it; the other can move with 'modelbox-dev up NAME --recreate --gpus free' (or --npu with other chips).",
    ),
  ];
}
