import { ensureGeneratedKey, readUserPublicKey } from "../access/ssh-keys.js";
import { ModelboxDevError } from "../errors.js";
import { podAccelerators } from "../plan/kubernetes/accelerators.js";
import { objectName } from "../plan/kubernetes/names.js";
import {
  choiceCounts,
  type ClusterRequest,
  clusterNodeFacts,
  parseCount,
} from "../plan/kubernetes/node-facts.js";
import { planForCluster } from "../plan/kubernetes/plan-for-cluster.js";
import { parseKubernetesFlags } from "../plan/kubernetes/options.js";
import { renderKubernetesManifests } from "../plan/kubernetes/render-kubernetes.js";
import type { TargetFlags } from "./kubernetes-flags.js";
import { toolVersion } from "./tool-version.js";
import { toEnvironmentOptions, type UpFlags } from "./up-options.js";

/**
 * `script --target kubernetes`: nothing on this machine is probed (the pod runs on a node of the
 * cluster); the planner gets the node as the flags describe it. The only file touched is the
 * environment's generated key pair, when no --ssh-key is given, as `up` would make it.
 */
export async function kubernetesScript(
  name: string | undefined,
  flags: UpFlags & TargetFlags & { explain?: boolean },
): Promise<string> {
  if (flags.facts) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--facts describes a Docker host; --target kubernetes plans for a node of the cluster.",
      "Describe the node with --k8s-cgroup, --gpus N, --npu N and --node-selector instead.",
    );
  }
  const k8s = parseKubernetesFlags(flags);
  const cpuOnly = flags.accel === "cpu";
  const request: ClusterRequest = {
    gpus: cpuOnly && (flags.gpus ?? "auto") === "auto" ? 0 : parseCount(flags.gpus, "--gpus"),
    npus: cpuOnly && flags.npu === undefined ? 0 : parseCount(flags.npu, "--npu"),
    ...(k8s.npuType ? { npuType: k8s.npuType } : {}),
    nodeCgroup: k8s.nodeCgroup,
    nodeSelector: k8s.nodeSelector,
  };
  // The image: given, or chosen by the catalogue for a node with the accelerators asked for.
  const chosen = toEnvironmentOptions(
    name,
    { ...flags, gpus: undefined, npu: undefined },
    clusterNodeFacts(request, choiceCounts(request, flags.accel)),
  );
  const plan = planForCluster(chosen.options, request);
  // What the renderer would refuse, refused before a key pair is written.
  objectName(plan.name);
  podAccelerators(plan, k8s.npuType);
  const key = plan.ports.some((p) => p.purpose === "ssh")
    ? flags.sshKey
      ? readUserPublicKey(flags.sshKey)
      : await ensureGeneratedKey(plan.name)
    : undefined;
  return renderKubernetesManifests(plan, {
    ...k8s,
    authorizedKeys: key?.publicKeys ?? [],
    ...(key ? { identityFile: key.identityFile } : {}),
    toolVersion: toolVersion(),
    explain: flags.explain ?? false,
  });
}
