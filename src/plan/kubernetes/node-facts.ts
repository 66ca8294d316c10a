import { parseImageReference } from "../../catalog/image-reference.js";
import { parseModelboxName } from "../../catalog/modelbox-name.js";
import { ModelboxDevError } from "../../errors.js";
import type { HostFacts } from "../../host/facts.js";
import type { NodeCgroup, NpuType } from "./options.js";

/**
 * A Kubernetes pod asks for a number of accelerators and the device plugin picks which, so on
 * this target `--gpus` and `--npu` are counts: auto (one when the image is built for it), none,
 * or N.
 */
export type CountRequest = "auto" | number;

const MAX_DEVICES = 64;

export function parseCount(value: string | undefined, flag: "--gpus" | "--npu"): CountRequest {
  const text = (value ?? "auto").trim().toLowerCase();
  if (text === "auto") return "auto";
  if (text === "none" || text === "0") return 0;
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(count) && count >= 1 && count <= MAX_DEVICES) return count;
  const what = flag === "--gpus" ? "GPUs" : "Ascend chips";
  throw new ModelboxDevError(
    "INVALID_OPTION",
    `${flag} ${JSON.stringify(value)} is not a number of ${what}.`,
    `With --target kubernetes a pod asks for a count and the device plugin picks which ${what}: give ${flag} auto, none, or a number such as ${flag} 2.`,
  );
}

/** What the image name says about the hardware it was built for. */
export interface ImageHardware {
  accel?: "cuda" | "cann";
  /** Ascend chip family of a cann image: plain = 310, -d310p = 310P. */
  npuType?: NpuType;
  /** Kubernetes' spelling of the image's architecture (ModelBox images are single-arch). */
  nodeArch?: "amd64" | "arm64";
}

export function imageHardware(image: string): ImageHardware {
  const last = parseImageReference(image).path.split("/").pop() ?? "";
  const name = parseModelboxName(last);
  if (!name) return {};
  return {
    accel: name.accel,
    ...(name.accel === "cann" ? { npuType: name.d310p ? "310P" : "310" } : {}),
    nodeArch: name.arch === "aarch64" ? "arm64" : "amd64",
  };
}

export interface ClusterRequest {
  gpus: CountRequest;
  npus: CountRequest;
  npuType?: NpuType;
  nodeCgroup: NodeCgroup;
  nodeSelector: Record<string, string>;
}

/** How many of each the pod asks for, once the image is known. */
export function acceleratorCounts(
  request: ClusterRequest,
  accel: ImageHardware["accel"],
): { gpus: number; npus: number } {
  return {
    gpus: request.gpus === "auto" ? (accel === "cuda" ? 1 : 0) : request.gpus,
    npus: request.npus === "auto" ? (accel === "cann" ? 1 : 0) : request.npus,
  };
}

const ARCH_FROM_NODE_LABEL: Record<string, string> = { amd64: "x86_64", arm64: "aarch64" };

/**
 * The node the pod will run on, in the planner's terms: an engine that takes device requests,
 * the chosen cgroup version, exactly the accelerators the pod asks for, no host ports in use.
 * The planner then decides for the cluster exactly as it does for a Docker host; the renderer
 * turns its device requests into device plugin resources.
 */
export function clusterNodeFacts(
  request: ClusterRequest,
  counts: { gpus: number; npus: number },
): HostFacts {
  const arch = ARCH_FROM_NODE_LABEL[request.nodeSelector["kubernetes.io/arch"] ?? ""] ?? "x86_64";
  const indices = (n: number) => Array.from({ length: n }, (_, i) => i);
  return {
    engine: {
      kind: "docker",
      serverVersion: "Kubernetes node",
      // New enough for device requests and cgroup v2, older than recursive read-only binds.
      apiVersion: "1.43",
      runtimes: [],
      cgroupVersion: request.nodeCgroup === "v1" ? 1 : 2,
      rootless: false,
      arch,
    },
    nvidia:
      counts.gpus > 0
        ? {
            smi: "ok",
            gpus: indices(counts.gpus).map((index) => ({ index, name: "NVIDIA GPU" })),
            toolkitPresent: true,
          }
        : { smi: "absent", gpus: [], toolkitPresent: false },
    ...(counts.npus > 0
      ? {
          ascend: {
            chips: indices(counts.npus),
            ...(request.npuType ? { chipName: request.npuType } : {}),
            npuSmi: "ok" as const,
          },
        }
      : {}),
    portsInUse: [],
  };
}

/** `--gpus`/`--npu` for the planner: device lists of exactly the counts the node facts hold. */
export function acceleratorOptions(counts: { gpus: number; npus: number }): {
  gpus: string;
  npu: string;
} {
  const list = (n: number) => Array.from({ length: n }, (_, i) => String(i)).join(",");
  return {
    gpus: counts.gpus > 0 ? list(counts.gpus) : "none",
    npu: counts.npus > 0 ? list(counts.npus) : "none",
  };
}

/**
 * The node as image choice sees it, before the image is known: what was asked for, and for
 * `auto` one GPU (or one Ascend chip with `--accel ascend`), so the catalogue picks an image for
 * the accelerator the user means.
 */
export function choiceCounts(
  request: ClusterRequest,
  accelFlag: string | undefined,
): { gpus: number; npus: number } {
  const accel = accelFlag ?? "auto";
  const npus = request.npus === "auto" ? (accel === "ascend" ? 1 : 0) : request.npus;
  const gpus =
    request.gpus === "auto"
      ? accel === "cuda" || (accel === "auto" && npus === 0)
        ? 1
        : 0
      : request.gpus;
  return { gpus, npus };
}
