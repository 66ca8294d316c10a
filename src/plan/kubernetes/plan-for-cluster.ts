import type { UpOptions } from "../options.js";
import { type UpPlanContext, planUp } from "../plan-up.js";
import type { Plan } from "../types.js";
import {
  acceleratorCounts,
  acceleratorOptions,
  choiceCounts,
  type ClusterRequest,
  clusterNodeFacts,
  imageHardware,
} from "./node-facts.js";

/**
 * The plan for a pod: `up`'s own planning, for the node the flags describe instead of this host.
 * First the image (as given, or the catalogue's choice for a node with the accelerators asked
 * for), then the plan with device lists of exactly the counts the pod asks for; `options.gpus`
 * and `options.npu` are replaced by the request's counts.
 */
export function planForCluster(
  options: UpOptions,
  request: ClusterRequest,
  context: UpPlanContext = {},
): Plan {
  const chosen = planUp(
    { ...options, gpus: undefined, npu: undefined },
    clusterNodeFacts(request, choiceCounts(request, options.accel)),
    context,
  );
  const hardware = imageHardware(chosen.image);
  const counts = acceleratorCounts(request, hardware.accel);
  const npuType = request.npuType ?? hardware.npuType;
  return planUp(
    { ...options, image: chosen.image, version: undefined, ...acceleratorOptions(counts) },
    clusterNodeFacts({ ...request, ...(npuType ? { npuType } : {}) }, counts),
    context,
  );
}
