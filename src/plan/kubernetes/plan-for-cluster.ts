import type { EnvironmentOptions } from "../options.js";
import { planEnvironment } from "../plan-environment.js";
import type { Plan } from "../types.js";
import {
  acceleratorCounts,
  acceleratorOptions,
  type ClusterRequest,
  clusterNodeFacts,
  imageHardware,
} from "./node-facts.js";

/**
 * The plan for a pod: the same planner as for a Docker host, given the node the flags describe
 * and device lists of exactly the counts the pod asks for. `options.image` is already chosen;
 * its `gpus` and `npu` are replaced by the request's counts.
 */
export function planForCluster(options: EnvironmentOptions, request: ClusterRequest): Plan {
  const hardware = imageHardware(options.image);
  const counts = acceleratorCounts(request, hardware.accel);
  const npuType = request.npuType ?? hardware.npuType;
  return planEnvironment(
    { ...options, ...acceleratorOptions(counts) },
    clusterNodeFacts({ ...request, ...(npuType ? { npuType } : {}) }, counts),
  );
}
