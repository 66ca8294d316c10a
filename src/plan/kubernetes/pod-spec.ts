import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { Plan } from "../types.js";
import type { PodAccelerators } from "./accelerators.js";
import { CONTAINER_NAME, environmentContainer } from "./container.js";
import type { Comments } from "./explained.js";
import { imageHardware } from "./node-facts.js";
import type { KubernetesOptions } from "./options.js";
import { type PodVolume, prepareMounts } from "./pod-volumes.js";
import { prepareScript } from "./prepare-script.js";
import type { ObjectNames } from "./names.js";

export const PREPARE_CONTAINER = "prepare";

/** Time systemd gets to stop after the stop signal: the plan's stop timeout, at least 30 s. */
export function gracePeriodSeconds(plan: Plan): number {
  return Math.max(30, plan.stopTimeoutSeconds);
}

/** Which access parts a develop image gets: a runtime image has no sshd and no editor. */
export interface AccessParts {
  keys: boolean;
  editorUnit: boolean;
}

function prepareContainer(plan: Plan, volumes: PodVolume[], access: AccessParts): IContainer {
  return {
    name: PREPARE_CONTAINER,
    image: plan.image,
    imagePullPolicy: "IfNotPresent",
    command: ["/bin/sh", "-c", prepareScript(access)],
    volumeMounts: prepareMounts(volumes),
  };
}

function nodeSelector(plan: Plan, options: KubernetesOptions): Record<string, string> {
  const arch = imageHardware(plan.image).nodeArch;
  return {
    // ModelBox images are built for one architecture each.
    ...(arch ? { "kubernetes.io/arch": arch } : {}),
    ...options.nodeSelector,
  };
}

export function podSpec(
  plan: Plan,
  context: {
    names: ObjectNames;
    options: KubernetesOptions;
    volumes: PodVolume[];
    accelerators: PodAccelerators;
    access: AccessParts;
    comments: Comments;
  },
): IPodSpec {
  const { options, volumes, comments } = context;
  const selector = nodeSelector(plan, options);
  const spec: IPodSpec = {
    hostname: context.names.deployment,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: gracePeriodSeconds(plan),
    ...(Object.keys(selector).length > 0 ? { nodeSelector: selector } : {}),
    ...(options.tolerations.length > 0
      ? { tolerations: options.tolerations.map((t) => ({ ...t })) }
      : {}),
    initContainers: [prepareContainer(plan, volumes, context.access)],
    containers: [
      environmentContainer(plan, {
        volumes,
        accelerators: context.accelerators,
        cgroup: options.nodeCgroup,
        comments: comments.at(`containers[${CONTAINER_NAME}]`),
      }),
    ],
    volumes: volumes.map((v) => v.volume),
  };
  comments.field(
    "hostname",
    "hostname: the environment's name in the shell prompt, not a generated pod name.",
  );
  comments.field(
    "automountServiceAccountToken",
    "automountServiceAccountToken false: the environment needs no access to the Kubernetes API, so no token is mounted into it.",
  );
  comments.field(
    "enableServiceLinks",
    "enableServiceLinks false: no variables for every Service of the namespace in PID 1's environment (which SSH sessions and developer mode inherit).",
  );
  comments.field(
    "terminationGracePeriodSeconds",
    `terminationGracePeriodSeconds: seconds systemd gets to shut services down after the stop signal (the image's STOPSIGNAL SIGRTMIN+3, honoured by containerd) before it is killed; as Docker's --stop-timeout ${plan.stopTimeoutSeconds}. Keep it at 30 or more.`,
  );
  if (spec.nodeSelector) {
    comments.whole(
      "nodeSelector",
      `nodeSelector: nodes the pod may run on${selector["kubernetes.io/arch"] && !options.nodeSelector["kubernetes.io/arch"] ? "; kubernetes.io/arch from the image name (each ModelBox image is built for one architecture)" : ""}${Object.keys(options.nodeSelector).length > 0 ? "; and --node-selector" : ""}.`,
    );
  }
  if (spec.tolerations) {
    comments.whole(
      "tolerations",
      "tolerations (--toleration): taints of nodes the pod may still run on, e.g. GPU nodes kept for GPU work.",
    );
  }
  const parts = [
    "the image's /root seeds the empty home volume on the first start",
    ...(context.access.keys
      ? [
          "the public key from the Secret goes to /root/.ssh/authorized_keys (700/600, owned by root)",
        ]
      : []),
    ...(context.access.editorUnit
      ? ["developer mode's unit from the ConfigMap is enabled in /run/systemd/system"]
      : []),
  ];
  comments.whole(
    `initContainers[${PREPARE_CONTAINER}]`,
    `prepare: runs once before systemd boots, with the environment's own image: ${parts.join("; ")}.`,
  );
  for (const v of volumes) {
    comments.whole(
      `volumes[${v.volume.name}]`,
      v.mount
        ? `${v.volume.name}: mounted at ${v.mount.mountPath}, see volumeMounts above.`
        : v.explain,
    );
  }
  return spec;
}
