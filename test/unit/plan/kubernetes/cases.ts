/**
 * The combinations the manifests are checked for: image kind × accelerator × what the nodes'
 * cgroup lets systemd write. Rendered exactly as `script --target kubernetes` does, with a fixed
 * name, clock, key and version so the output is reproducible.
 */
import { kubernetesObjects } from "../../../../src/plan/kubernetes/objects.js";
import {
  type KubernetesFlags,
  type KubernetesOptions,
  NODE_CGROUPS,
  type NodeCgroup,
  parseKubernetesFlags,
} from "../../../../src/plan/kubernetes/options.js";
import { parseCount } from "../../../../src/plan/kubernetes/node-facts.js";
import { planForCluster } from "../../../../src/plan/kubernetes/plan-for-cluster.js";
import { renderKubernetesManifests } from "../../../../src/plan/kubernetes/render-kubernetes.js";
import type { UpOptions } from "../../../../src/plan/options.js";
import type { Plan } from "../../../../src/plan/types.js";

export const KINDS = ["develop", "runtime"] as const;
export type Kind = (typeof KINDS)[number];
/** cpu: a CUDA image with no GPU asked for (what --accel cpu gives; ModelBox has no CPU image). */
export const ACCELERATORS = ["cpu", "nvidia", "ascend310", "ascend310p"] as const;
export type Accelerator = (typeof ACCELERATORS)[number];
export { NODE_CGROUPS };

export function imageFor(kind: Kind, accel: Accelerator): string {
  const base =
    accel === "ascend310"
      ? "mindspore_1.9.0-cann_6.0.1-ubuntu-x86_64"
      : accel === "ascend310p"
        ? "mindspore_1.9.0-cann_6.0.1-d310p-openeuler-aarch64"
        : "tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
  return `modelbox/modelbox-${kind}-${base}:1.5.3`;
}

export const TEST_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZpeGVkIHRlc3Qga2V5IGZvciBtYW5pZmVzdHM mybox@test";
export const IDENTITY_FILE = "/home/dev/.modelbox-dev/environments/mybox/id_ed25519";

export interface CaseInput {
  kind: Kind;
  accel: Accelerator;
  cgroup: NodeCgroup;
  explain?: boolean;
  /** Kubernetes flags besides --k8s-cgroup. */
  flags?: KubernetesFlags;
  /** --gpus / --npu as the CLI takes them (default: none for cpu, auto otherwise). */
  gpus?: string;
  npu?: string;
  /** `up`'s options besides the image (`mount`, `cpus`, `debug`, …). */
  environment?: UpOptions;
}

export interface RenderedCase {
  plan: Plan;
  options: KubernetesOptions;
  text: string;
}

export function caseName(input: CaseInput): string {
  return `${input.kind}-${input.accel}-${input.cgroup}`;
}

export function planCase(input: CaseInput): { plan: Plan; options: KubernetesOptions } {
  const parsed = parseKubernetesFlags({ ...input.flags, k8sCgroup: input.cgroup });
  const plan = planForCluster(
    { name: "mybox", image: imageFor(input.kind, input.accel), ...input.environment },
    {
      gpus: parseCount(input.gpus ?? (input.accel === "cpu" ? "none" : "auto"), "--gpus"),
      npus: parseCount(input.npu ?? "auto", "--npu"),
      nodeCgroup: parsed.nodeCgroup,
      nodeSelector: parsed.nodeSelector,
      ...(parsed.npuType ? { npuType: parsed.npuType } : {}),
    },
    { now: 1_700_000_000, toolVersion: "0.1.0" },
  );
  const options: KubernetesOptions = {
    ...parsed,
    authorizedKeys: plan.imageKind === "runtime" ? [] : [TEST_KEY],
    ...(plan.imageKind === "runtime" ? {} : { identityFile: IDENTITY_FILE }),
    toolVersion: "0.1.0",
    explain: input.explain ?? false,
  };
  return { plan, options };
}

export function renderCase(input: CaseInput): RenderedCase {
  const { plan, options } = planCase(input);
  return { plan, options, text: renderKubernetesManifests(plan, options) };
}

export function objectsOf(input: CaseInput) {
  const { plan, options } = planCase(input);
  return kubernetesObjects(plan, options);
}

/** Every combination the goldens cover. */
export function allCases(): CaseInput[] {
  return KINDS.flatMap((kind) =>
    ACCELERATORS.flatMap((accel) => NODE_CGROUPS.map((cgroup) => ({ kind, accel, cgroup }))),
  );
}
