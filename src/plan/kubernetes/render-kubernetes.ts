import type { Plan } from "../types.js";
import { objectName } from "./names.js";
import { nextSteps } from "./next-steps.js";
import { kubernetesObjects } from "./objects.js";
import type { KubernetesOptions, NodeCgroup } from "./options.js";
import { gracePeriodSeconds } from "./pod-spec.js";
import { objectToYaml, wrapText } from "./to-yaml.js";

const CGROUP_NOTES: Record<NodeCgroup, string> = {
  v1: "Nodes on cgroup v1 (--k8s-cgroup v1): systemd gets the node's cgroup tree read-only, without privilege. On a cgroup v2 node ('stat -fc %T /sys/fs/cgroup' prints cgroup2fs) it cannot boot: choose --k8s-cgroup v2-privileged, or v2-writable on containerd 2.1+.",
  "v2-privileged":
    "Nodes on cgroup v2 (--k8s-cgroup v2-privileged): systemd must write its own cgroups, and containerd gives a writable cgroup tree only to a privileged container. To avoid privilege: --k8s-cgroup v2-writable on containerd 2.1+.",
  "v2-writable":
    "Nodes on cgroup v2 with containerd 2.1+ (--k8s-cgroup v2-writable): the node's containerd must set cgroup_writable = true for its runtime (it then mounts the container's own cgroup writable, without privilege) and ignore_image_defined_volumes = true (else the image's VOLUME /sys/fs/cgroup covers that mount with an empty directory). Without that configuration choose --k8s-cgroup v2-privileged.",
};

function needsPrivilegedNamespace(plan: Plan, options: KubernetesOptions): boolean {
  return (
    options.nodeCgroup !== "v2-writable" ||
    plan.mounts.some((m) => m.purpose === "user") ||
    plan.npu.mode !== "none" ||
    plan.privileged ||
    plan.capAdd.length > 0 ||
    plan.securityOpt.length > 0
  );
}

function headerLines(plan: Plan, options: KubernetesOptions, file: string): string[] {
  const lines = [
    `ModelBox environment ${plan.name} as Kubernetes manifests, planned by modelbox-dev${options.toolVersion ? ` ${options.toolVersion}` : ""}.`,
    `Save as ${file}; the commands to apply it and reach the environment are at the end.`,
    CGROUP_NOTES[options.nodeCgroup],
    `Stopping: the image's STOPSIGNAL SIGRTMIN+3 (and a preStop hook that asks systemd for the same halt) shuts systemd down; terminationGracePeriodSeconds ${gracePeriodSeconds(plan)} is how long it may take before the pod is killed.`,
  ];
  if (plan.imageKind === "runtime") {
    lines.push(
      "Runtime image: no sshd and no editor, so no SSH key Secret, no developer mode unit, and only the HTTP port.",
    );
  }
  if (plan.mounts.some((m) => m.purpose === "modelbox" || m.purpose === "home")) {
    lines.push(
      "Docker's -v /opt/modelbox and -v /home (directories of the host) are left out: the pod may run on any node. Root's home is the volume claim; --mount shares a node directory.",
    );
  }
  if (needsPrivilegedNamespace(plan, options)) {
    lines.push(
      "The namespace's Pod Security level must be 'privileged': baseline and restricted refuse hostPath volumes, privilege and added capabilities.",
    );
  }
  for (const w of plan.warnings) lines.push(`warning: ${w.message}`);
  return lines;
}

/** Comment lines; texts from the plan may hold host-provided strings, so no line break survives. */
const comment = (lines: string[]) =>
  lines
    .flatMap((l) => wrapText(l.replace(/[\r\n]+/g, " "), 98))
    .map((l) => `# ${l}`.trimEnd())
    .join("\n");

/**
 * The environment as Kubernetes manifests, to save and `kubectl apply`: the same plan as the
 * shell script, and the options only Kubernetes has. Pure: it reads nothing and applies nothing.
 */
export function renderKubernetesManifests(plan: Plan, options: KubernetesOptions): string {
  const file = `${objectName(plan.name)}.yaml`;
  const documents = kubernetesObjects(plan, options).map((o) =>
    objectToYaml(o.object, options.explain ? { comments: o.comments, summary: o.summary } : {}),
  );
  return [
    `${comment(headerLines(plan, options, file))}\n`,
    documents.join("---\n"),
    `${comment(nextSteps(plan, options, file))}\n`,
  ].join("\n");
}
