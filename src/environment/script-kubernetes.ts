import { ensureGeneratedKey, readUserPublicKey } from "../access/ssh-keys.js";
import { ModelboxDevError } from "../errors.js";
import { podAccelerators } from "../plan/kubernetes/accelerators.js";
import { objectName } from "../plan/kubernetes/names.js";
import { type ClusterRequest, parseCount } from "../plan/kubernetes/node-facts.js";
import { parseKubernetesFlags } from "../plan/kubernetes/options.js";
import { planForCluster } from "../plan/kubernetes/plan-for-cluster.js";
import { renderKubernetesManifests } from "../plan/kubernetes/render-kubernetes.js";
import { toolVersion } from "../tool-version.js";
import type { ScriptOptions } from "./types.js";

/** Options of `up` that do something only to a Docker host or through `up` itself. */
function refuseDockerOnly(options: ScriptOptions): void {
  const refusals: Array<[boolean, string, string]> = [
    [
      options.facts !== undefined,
      "--facts describes a Docker host; --target kubernetes plans for a node of the cluster.",
      "Describe the node with --k8s-cgroup, --gpus N, --npu N and --node-selector instead.",
    ],
    [
      options.passwordStdin === true || options.password !== undefined,
      "A root password cannot be set through Kubernetes manifests (it would sit in a Secret).",
      "Log in with the key, then run 'passwd' inside the environment.",
    ],
    [
      (options.editorAllow ?? []).length > 0,
      "--editor-allow does not apply to --target kubernetes: through kubectl port-forward the editor is reached from 127.0.0.1, which it admits.",
      "Leave --editor-allow out.",
    ],
  ];
  const notRendered = [
    ["--publish", (options.publish ?? []).length > 0],
    ["--env", (options.env ?? []).length > 0],
    ["--env-file", (options.envFile ?? []).length > 0],
    ["--shm-size", options.shmSize !== undefined],
    ["--ulimit", (options.ulimit ?? []).length > 0],
    ["--no-home-volume", options.homeVolume === false],
  ]
    .filter(([, given]) => given)
    .map(([flag]) => flag);
  refusals.push([
    notRendered.length > 0,
    `${notRendered.join(", ")} ${notRendered.length > 1 ? "are" : "is"} not rendered for --target kubernetes yet.`,
    "Leave them out of the manifests (edit the Deployment by hand if you need them), or use the docker run script.",
  ]);
  for (const [refused, message, hint] of refusals) {
    if (refused) throw new ModelboxDevError("INVALID_OPTION", message, hint);
  }
}

/**
 * `script --target kubernetes`: the manifests for a pod. Nothing on this machine is probed (the
 * pod runs on a node of the cluster). The only file written is the environment's generated key
 * pair, when no `sshKey` is given and the image has sshd, as `up` would make it.
 */
export async function kubernetesScript(options: ScriptOptions): Promise<string> {
  refuseDockerOnly(options);
  const k8s = parseKubernetesFlags(options);
  const cpuOnly = options.accel === "cpu";
  const request: ClusterRequest = {
    gpus: cpuOnly && (options.gpus ?? "auto") === "auto" ? 0 : parseCount(options.gpus, "--gpus"),
    npus: cpuOnly && options.npu === undefined ? 0 : parseCount(options.npu, "--npu"),
    ...(k8s.npuType ? { npuType: k8s.npuType } : {}),
    nodeCgroup: k8s.nodeCgroup,
    nodeSelector: k8s.nodeSelector,
  };
  const plan = planForCluster(options, request, { toolVersion: toolVersion() });
  // What the renderer would refuse, refused before a key pair is written.
  objectName(plan.name);
  podAccelerators(plan, k8s.npuType);
  const needsKey = plan.ports.some((p) => p.purpose === "ssh");
  const key = !needsKey
    ? undefined
    : plan.access.sshKey
      ? readUserPublicKey(plan.access.sshKey)
      : await ensureGeneratedKey(plan.name);
  return renderKubernetesManifests(plan, {
    ...k8s,
    authorizedKeys: key?.publicKeys ?? [],
    ...(key ? { identityFile: key.identityFile } : {}),
    toolVersion: toolVersion(),
    explain: options.explain ?? false,
  });
}
