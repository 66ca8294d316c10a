import { ModelboxDevError } from "../../errors.js";
import type { Plan } from "../types.js";
import { imageHardware } from "./node-facts.js";
import type { NpuType } from "./options.js";

/** What the pod asks the device plugins for. */
export interface PodAccelerators {
  nvidiaGpus: number;
  ascend?: { resource: string; chips: number };
}

export const NVIDIA_RESOURCE = "nvidia.com/gpu";
export const ASCEND_RESOURCE_PREFIX = "huawei.com/Ascend";

/**
 * Device requests in the plan become extended resources: the NVIDIA device plugin's
 * `nvidia.com/gpu`, the Ascend plugin's `huawei.com/Ascend310|310P|910`. Plugins choose which
 * devices and set the visible-devices variables themselves, so the plan's device list counts
 * and its /dev nodes are left to them.
 */
export function podAccelerators(plan: Plan, npuType: NpuType | undefined): PodAccelerators {
  let nvidiaGpus = 0;
  if (plan.gpu.mode !== "none") {
    if (plan.gpu.devices === "all") {
      throw new ModelboxDevError(
        "INVALID_OPTION",
        "A Kubernetes pod cannot ask for all GPUs of a node.",
        "Ask for a number of GPUs, e.g. --gpus 1.",
      );
    }
    nvidiaGpus = plan.gpu.devices.length;
  }
  if (plan.npu.mode === "none") return { nvidiaGpus };
  const type = npuType ?? imageHardware(plan.image).npuType;
  if (!type) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `The image name ${plan.image} does not say which Ascend chip it is built for.`,
      "Name the device plugin's chip type with --k8s-npu-type 310, 310P or 910.",
    );
  }
  return {
    nvidiaGpus,
    ascend: { resource: `${ASCEND_RESOURCE_PREFIX}${type}`, chips: plan.npu.chips.length },
  };
}
