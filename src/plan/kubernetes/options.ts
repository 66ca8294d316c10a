import { ModelboxDevError } from "../../errors.js";
import { parseSize } from "../resources.js";

/**
 * What a cgroup v2 node lets systemd write, the one fact about the cluster the manifests cannot
 * find out for themselves (`stat -fc %T /sys/fs/cgroup` on a node: tmpfs = v1, cgroup2fs = v2).
 * - v1: the node's cgroup tree read-only; systemd writes its own hierarchy below it.
 * - v2-privileged: a privileged container, which containerd keeps in the node's cgroup
 *   namespace, and the node's tree read-write (as `--cgroupns=host` with a rw bind on Docker).
 * - v2-writable: containerd >= 2.1 with `cgroup_writable = true` for the runtime, which mounts
 *   the container's own cgroup writable without privilege.
 */
export const NODE_CGROUPS = ["v1", "v2-privileged", "v2-writable"] as const;
export type NodeCgroup = (typeof NODE_CGROUPS)[number];

export const SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** Ascend device plugin resources are `huawei.com/Ascend<type>`. */
export const NPU_TYPES = ["310", "310P", "910"] as const;
export type NpuType = (typeof NPU_TYPES)[number];

export interface Toleration {
  key: string;
  operator: "Equal" | "Exists";
  value?: string;
  effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** Everything the Kubernetes renderer needs beside the Plan, already checked. */
export interface KubernetesOptions {
  nodeCgroup: NodeCgroup;
  serviceType: ServiceType;
  namespace?: string;
  storageClass?: string;
  /** Size of the home volume claim, in bytes. */
  homeSizeBytes: number;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  /** Overrides the chip family the image name implies (plain cann = 310, -d310p = 310P). */
  npuType?: NpuType;
  /** authorized_keys lines for root (develop images). */
  authorizedKeys: string[];
  /** The private key file `ssh -i` takes, for the commands printed at the end. */
  identityFile?: string;
  toolVersion?: string;
  explain?: boolean;
}

export const DEFAULT_HOME_SIZE = "20Gi";

/** The flags as commander hands them over. */
export interface KubernetesFlags {
  k8sCgroup?: string;
  k8sService?: string;
  k8sNpuType?: string;
  namespace?: string;
  storageClass?: string;
  pvcSize?: string;
  nodeSelector?: string[];
  toleration?: string[];
}

/** RFC 1123 label: what a namespace name must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain: a storage class name. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A label key: an optional DNS subdomain prefix and a name of up to 63 characters. */
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

function invalid(message: string, hint: string): ModelboxDevError {
  return new ModelboxDevError("INVALID_OPTION", message, hint);
}

function oneOf<T extends string>(
  value: string | undefined,
  choices: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined) return undefined;
  const found = choices.find((c) => c.toLowerCase() === value.trim().toLowerCase());
  if (!found) {
    throw invalid(
      `${flag} ${JSON.stringify(value)} is not one of ${choices.join(", ")}.`,
      `Use e.g. ${flag} ${choices[0]}.`,
    );
  }
  return found;
}

export function isLabelValue(value: string): boolean {
  return LABEL_VALUE.test(value);
}

/** `--node-selector KEY=VALUE`, repeatable. */
export function parseNodeSelector(entries: string[]): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf("=");
    const key = at < 0 ? "" : entry.slice(0, at).trim();
    const value = at < 0 ? "" : entry.slice(at + 1).trim();
    if (!LABEL_KEY.test(key) || !LABEL_VALUE.test(value)) {
      throw invalid(
        `--node-selector ${JSON.stringify(entry)} is not a node label KEY=VALUE.`,
        "Give a label the nodes carry, e.g. --node-selector nvidia.com/gpu.present=true ('kubectl get nodes --show-labels' lists them).",
      );
    }
    selector[key] = value;
  }
  return selector;
}

/** `--toleration KEY[=VALUE][:EFFECT]`, as `kubectl taint` spells a taint; repeatable. */
export function parseToleration(entry: string): Toleration {
  const m = /^([^=:]+)(?:=([^:]*))?(?::([A-Za-z]+))?$/.exec(entry.trim());
  const key = m?.[1]?.trim() ?? "";
  const value = m?.[2];
  const effect = EFFECTS.find((e) => e.toLowerCase() === m?.[3]?.toLowerCase());
  if (
    !m ||
    !LABEL_KEY.test(key) ||
    (value !== undefined && !LABEL_VALUE.test(value)) ||
    (m[3] !== undefined && !effect)
  ) {
    throw invalid(
      `--toleration ${JSON.stringify(entry)} is not KEY[=VALUE][:EFFECT].`,
      `Spell it as the taint is spelled, e.g. --toleration nvidia.com/gpu:NoSchedule or --toleration dedicated=ml:NoSchedule (EFFECT is one of ${EFFECTS.join(", ")}, or left out for all).`,
    );
  }
  return {
    key,
    operator: value === undefined ? "Exists" : "Equal",
    ...(value !== undefined ? { value } : {}),
    ...(effect ? { effect } : {}),
  };
}

/** Checks the Kubernetes flags; the key and the tool version are added by the caller. */
export function parseKubernetesFlags(
  flags: KubernetesFlags,
): Omit<KubernetesOptions, "authorizedKeys"> {
  const namespace = flags.namespace?.trim();
  if (namespace !== undefined && !DNS_LABEL.test(namespace)) {
    throw invalid(
      `--namespace ${JSON.stringify(flags.namespace)} is not a namespace name.`,
      "Namespace names are lowercase letters, digits and '-', at most 63 characters (e.g. --namespace ml-dev).",
    );
  }
  const storageClass = flags.storageClass?.trim();
  if (storageClass !== undefined && !DNS_SUBDOMAIN.test(storageClass)) {
    throw invalid(
      `--storage-class ${JSON.stringify(flags.storageClass)} is not a storage class name.`,
      "'kubectl get storageclass' lists the names this cluster has.",
    );
  }
  const npuType = oneOf(flags.k8sNpuType, NPU_TYPES, "--k8s-npu-type");
  return {
    nodeCgroup: oneOf(flags.k8sCgroup, NODE_CGROUPS, "--k8s-cgroup") ?? "v1",
    serviceType: oneOf(flags.k8sService, SERVICE_TYPES, "--k8s-service") ?? "ClusterIP",
    ...(namespace !== undefined ? { namespace } : {}),
    ...(storageClass !== undefined ? { storageClass } : {}),
    homeSizeBytes: parseSize(flags.pvcSize ?? DEFAULT_HOME_SIZE, "--pvc-size"),
    nodeSelector: parseNodeSelector(flags.nodeSelector ?? []),
    tolerations: (flags.toleration ?? []).map(parseToleration),
    ...(npuType ? { npuType } : {}),
  };
}

/** Kubernetes-only options given for the shell script would be silently dropped: refuse them. */
export function refuseKubernetesOnly(options: KubernetesFlags): void {
  const given = [
    ["--k8s-cgroup", options.k8sCgroup],
    ["--k8s-service", options.k8sService],
    ["--k8s-npu-type", options.k8sNpuType],
    ["--namespace", options.namespace],
    ["--storage-class", options.storageClass],
    ["--pvc-size", options.pvcSize],
    ["--node-selector", options.nodeSelector?.length ? "given" : undefined],
    ["--toleration", options.toleration?.length ? "given" : undefined],
  ].filter(([, value]) => value !== undefined);
  if (given.length > 0) {
    throw invalid(
      `${given.map(([flag]) => flag).join(", ")} ${given.length > 1 ? "apply" : "applies"} to --target kubernetes only.`,
      "Add --target kubernetes for manifests, or leave these out for the docker run script.",
    );
  }
}
