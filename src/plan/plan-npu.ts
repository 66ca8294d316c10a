import { ModelboxDevError } from "../errors.js";
import type { HostFacts } from "../host/facts.js";
import type { NpuPlan, PlannedDevice, PlanWarning } from "./types.js";
import { formatChipList, parseChipList } from "./validate.js";

/** The driver's shared device nodes every Ascend container needs beside its chips. */
export const ASCEND_SHARED_DEVICES = ["/dev/davinci_manager", "/dev/hisi_hdc", "/dev/devmm_svm"];

export interface NpuDecision {
  npu: NpuPlan;
  devices: PlannedDevice[];
  env: Record<string, string>;
  runtime?: string;
  warnings: PlanWarning[];
  notes: string[];
}

function device(path: string): PlannedDevice {
  return { hostPath: path, containerPath: path, permissions: "rwm" };
}

/**
 * --npu <chip list>: /dev/davinci<N> for each chip plus the shared nodes, or, when the Ascend
 * Docker Runtime is registered, --runtime=ascend with ASCEND_VISIBLE_DEVICES. Without --npu,
 * an Ascend (cann) image gets every chip the host has.
 */
export function planNpu(
  request: string | undefined,
  facts: HostFacts,
  imageAccel: "cuda" | "cann" | undefined,
  runtimeTaken: boolean,
): NpuDecision {
  const none: NpuDecision = {
    npu: { mode: "none" },
    devices: [],
    env: {},
    warnings: [],
    notes: [],
  };
  const hostChips = facts.ascend?.chips ?? [];
  let chips: number[];
  if (request === undefined || request === "auto") {
    if (imageAccel !== "cann") return none;
    if (hostChips.length === 0) {
      none.warnings.push({
        code: "NO_NPU",
        message:
          "This is an Ascend image but no /dev/davinci* chip was found: only CPU flowunits will run.",
      });
      return none;
    }
    chips = [...hostChips].sort((a, b) => a - b);
  } else if (request === "none") {
    return none;
  } else {
    chips = parseChipList(request);
    if (hostChips.length === 0) {
      throw new ModelboxDevError(
        "NPU_UNAVAILABLE",
        `--npu ${request} was asked for, but this host has no /dev/davinci* devices.`,
        "Install the Ascend driver (npu-smi info should list the chips), or leave out --npu.",
      );
    }
    const missing = chips.filter((c) => !hostChips.includes(c));
    if (missing.length > 0) {
      throw new ModelboxDevError(
        "NPU_UNAVAILABLE",
        `Ascend chip ${missing.map((c) => `/dev/davinci${c}`).join(", ")} is not on this host.`,
        `This host has chips ${formatChipList([...hostChips].sort((a, b) => a - b))} (the /dev/davinci<N> index, not npu-smi's card id).`,
      );
    }
  }
  const list = formatChipList(chips);
  const useRuntime = facts.engine.runtimes.includes("ascend") && !runtimeTaken;
  if (useRuntime) {
    return {
      npu: { mode: "ascend-runtime", chips },
      devices: [],
      env: { ASCEND_VISIBLE_DEVICES: list },
      runtime: "ascend",
      warnings: [],
      notes: [`Ascend chips ${list} via the Ascend Docker Runtime (--runtime=ascend).`],
    };
  }
  return {
    npu: { mode: "devices", chips },
    devices: [
      ...chips.map((c) => device(`/dev/davinci${c}`)),
      ...ASCEND_SHARED_DEVICES.map(device),
    ],
    env: {},
    warnings: [],
    notes: [`Ascend chips ${list} mapped as /dev/davinci<N> devices.`],
  };
}
