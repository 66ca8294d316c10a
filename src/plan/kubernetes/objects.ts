import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IService } from "kubernetes-models/v1/Service";
import { ModelboxDevError } from "../../errors.js";
import { EDITOR_SERVICE_NAME, editorServiceUnit } from "../editor-service-unit.js";
import { kubernetesSize } from "../resources.js";
import type { Plan } from "../types.js";
import { podAccelerators } from "./accelerators.js";
import { Comments, type ExplainedObject } from "./explained.js";
import { identityLabels, labelsAndAnnotations, type ObjectNames, objectNames } from "./names.js";
import type { KubernetesOptions } from "./options.js";
import { type AccessParts, podSpec } from "./pod-spec.js";
import { podVolumes } from "./pod-volumes.js";

type Metadata = NonNullable<IService["metadata"]>;

function metadata(
  name: string,
  options: KubernetesOptions,
  labels: Record<string, string>,
  annotations?: Record<string, string>,
): Metadata {
  return {
    name,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    labels,
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

function explainMetadata(comments: Comments, plan: Plan, what: string): void {
  comments.whole(
    "metadata",
    `metadata: ${what}; labels io.modelbox-dev.managed and .name mark it as part of environment ${plan.name}, so 'kubectl get all,pvc,secret,configmap -l io.modelbox-dev.name=${plan.name}' lists every part.`,
  );
}

function secret(
  plan: Plan,
  names: ObjectNames,
  options: KubernetesOptions,
): ExplainedObject<ISecret> {
  const comments = new Comments();
  explainMetadata(comments, plan, names.authorizedKeys);
  comments.field("type", "type Opaque: plain data for the pod.");
  comments.whole(
    "stringData",
    "authorized_keys: the public key(s) that log in as root; only the public half ever leaves this machine.",
  );
  return {
    object: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: metadata(names.authorizedKeys, options, identityLabels(plan)),
      type: "Opaque",
      stringData: { authorized_keys: `${options.authorizedKeys.join("\n")}\n` },
    },
    summary: "The public key that logs in as root; the init container installs it.",
    comments,
  };
}

function editorConfigMap(
  plan: Plan,
  names: ObjectNames,
  options: KubernetesOptions,
): ExplainedObject<IConfigMap> {
  const comments = new Comments();
  explainMetadata(comments, plan, names.editorUnit);
  comments.whole(
    "data",
    `${EDITOR_SERVICE_NAME}: ModelBox developer mode as a systemd unit, started at every boot: 'modelbox-tool develop -s' the first time, '/root/modelbox-service/modelbox restart' after that. With no $SSH_CLIENT the editor admits 127.0.0.1/8, which is where kubectl port-forward's requests come from.`,
  );
  return {
    object: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: metadata(names.editorUnit, options, identityLabels(plan)),
      data: { [EDITOR_SERVICE_NAME]: editorServiceUnit() },
    },
    summary: "Developer mode (the editor) as a systemd unit; the init container enables it.",
    comments,
  };
}

function homeClaim(
  plan: Plan,
  names: ObjectNames,
  options: KubernetesOptions,
): ExplainedObject<IPersistentVolumeClaim> {
  const comments = new Comments();
  explainMetadata(comments, plan, names.home);
  comments.whole(
    "spec.accessModes",
    "ReadWriteOnce: one node mounts the home at a time, which is why the Deployment recreates its pod instead of rolling.",
  );
  comments.whole("spec.resources", "storage: size of the home (--pvc-size).");
  if (options.storageClass)
    comments.field(
      "spec.storageClassName",
      "storageClassName (--storage-class): which provisioner makes the volume.",
    );
  return {
    object: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: metadata(names.home, options, identityLabels(plan)),
      spec: {
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: kubernetesSize(options.homeSizeBytes) } },
        ...(options.storageClass ? { storageClassName: options.storageClass } : {}),
      },
    },
    summary: `Root's home (/root), kept when the pod is replaced. 'kubectl delete' of these manifests deletes it too: to stop the environment, scale to 0 instead.${options.storageClass ? "" : " No --storage-class: the cluster's default storage class provisions it."}`,
    comments,
  };
}

function service(
  plan: Plan,
  names: ObjectNames,
  options: KubernetesOptions,
): ExplainedObject<IService> {
  const comments = new Comments();
  explainMetadata(comments, plan, names.service);
  comments.field(
    "spec.type",
    options.serviceType === "ClusterIP"
      ? "type ClusterIP: reachable inside the cluster only; from this machine through kubectl port-forward. --k8s-service NodePort or LoadBalancer opens it to the network."
      : `type ${options.serviceType} (--k8s-service): reachable from outside the cluster. The editor admits only 127.0.0.1/8, so it answers 403 to these clients unless their addresses are added to [acl] allow in /root/modelbox-service/conf/modelbox.conf.`,
  );
  comments.whole("spec.selector", "selector: the environment's pod, by its identity labels.");
  for (const p of plan.ports) {
    comments.whole(`spec.ports[${p.purpose}]`, `${p.purpose}: port ${p.containerPort} of the pod.`);
  }
  return {
    object: {
      apiVersion: "v1",
      kind: "Service",
      metadata: metadata(names.service, options, identityLabels(plan)),
      spec: {
        type: options.serviceType,
        selector: identityLabels(plan),
        ports: plan.ports.map((p) => ({
          name: p.purpose,
          port: p.containerPort,
          targetPort: p.purpose,
          protocol: "TCP",
        })),
      },
    },
    summary: `The environment's ports inside the cluster: ${plan.ports.map((p) => `${p.purpose} ${p.containerPort}`).join(", ")}.`,
    comments,
  };
}

function deployment(
  plan: Plan,
  names: ObjectNames,
  options: KubernetesOptions,
  access: AccessParts,
): ExplainedObject<IDeployment> {
  const comments = new Comments();
  const { labels, annotations } = labelsAndAnnotations(plan);
  comments.whole(
    "metadata",
    `metadata: the labels modelbox-dev puts on a Docker container (io.modelbox-dev.*: name, kind, spec hash, version); values a label cannot hold (the spec, the image reference, the ports) are annotations under the same keys. 'kubectl get all,pvc,secret,configmap -l io.modelbox-dev.name=${plan.name}' lists every part.`,
  );
  comments.field(
    "spec.replicas",
    "replicas 1: one environment is one pod. Stop = scale to 0, start = scale to 1; the home volume stays.",
  );
  comments.whole(
    "spec.strategy",
    "strategy Recreate: the old pod stops before a new one starts, since the home volume mounts on one node at a time and one environment must never run twice.",
  );
  comments.whole(
    "spec.selector",
    "selector: the environment's pod, by labels that never change (a selector cannot be edited later).",
  );
  comments.whole(
    "spec.template.metadata",
    "template metadata: the pod carries the same labels and annotations.",
  );
  const accelerators = podAccelerators(plan, options.npuType);
  const volumes = podVolumes(
    plan,
    names,
    options.nodeCgroup,
    access,
    accelerators.ascend !== undefined,
  );
  const pod = podSpec(plan, {
    names,
    options,
    volumes,
    accelerators,
    access,
    comments: comments.at("spec.template.spec"),
  });
  return {
    object: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: metadata(names.deployment, options, labels, annotations),
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: identityLabels(plan) },
        template: {
          metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
          spec: pod,
        },
      },
    },
    summary: `The environment: one pod running ${plan.image} with systemd as PID 1.`,
    comments,
  };
}

/** Every object of the environment, in the order `kubectl apply` should meet them. */
export function kubernetesObjects(plan: Plan, options: KubernetesOptions): ExplainedObject[] {
  const names = objectNames(plan);
  const access: AccessParts = {
    keys: plan.ports.some((p) => p.purpose === "ssh"),
    // --no-develop-mode: the editor's port stays, nothing starts developer mode at boot.
    editorUnit: plan.ports.some((p) => p.purpose === "editor") && plan.access.developerMode,
  };
  if (access.keys && options.authorizedKeys.length === 0) {
    throw new ModelboxDevError(
      "INVALID_SSH_KEY",
      "No public key to install for root: a develop image is reached over SSH with a key.",
      "Give one with --ssh-key ~/.ssh/id_ed25519.pub.",
    );
  }
  return [
    ...(access.keys ? [secret(plan, names, options)] : []),
    ...(access.editorUnit ? [editorConfigMap(plan, names, options)] : []),
    homeClaim(plan, names, options),
    service(plan, names, options),
    deployment(plan, names, options, access),
  ];
}
