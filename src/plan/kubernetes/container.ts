import type { IContainer } from "kubernetes-models/v1/Container";
import type { IContainerPort } from "kubernetes-models/v1/ContainerPort";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import { kubernetesCpu, kubernetesSize } from "../resources.js";
import type { Plan, PortPurpose } from "../types.js";
import { NVIDIA_RESOURCE, type PodAccelerators } from "./accelerators.js";
import type { Comments } from "./explained.js";
import type { NodeCgroup } from "./options.js";
import type { PodVolume } from "./pod-volumes.js";

export const CONTAINER_NAME = "modelbox";

/** Variables a device plugin sets for the devices it hands over; a fixed value would lie. */
const PLUGIN_VARIABLES = ["NVIDIA_VISIBLE_DEVICES", "ASCEND_VISIBLE_DEVICES"];

const PORT_EXPLAIN: Record<PortPurpose, string> = {
  ssh: "ssh: the image's sshd on 22 (develop images).",
  editor: "editor: ModelBox's visual flow editor on 1104, once developer mode runs.",
  http: "http: the HTTP flowunit's server port (set its endpoint to http://0.0.0.0:PORT in the graph).",
};

function environment(plan: Plan, accelerators: PodAccelerators, comments: Comments): IEnvVar[] {
  const env: IEnvVar[] = [];
  for (const [name, value] of Object.entries(plan.env)) {
    if (PLUGIN_VARIABLES.includes(name)) continue;
    env.push({ name, value });
    comments.whole(
      `env[${name}]`,
      name === "NVIDIA_DRIVER_CAPABILITIES"
        ? "NVIDIA_DRIVER_CAPABILITIES: which driver libraries to mount: compute (CUDA), utility (nvidia-smi), video (codecs for video decoding flowunits)."
        : `${name}: set inside the environment, as docker run -e does.`,
    );
  }
  if (plan.imageAccel === "cuda" && accelerators.nvidiaGpus === 0) {
    env.push({ name: "NVIDIA_VISIBLE_DEVICES", value: "void" });
    comments.whole(
      "env[NVIDIA_VISIBLE_DEVICES]",
      "NVIDIA_VISIBLE_DEVICES=void: no GPU was asked for. The CUDA images say 'all', which on a node whose default runtime is nvidia would hand every GPU over behind the scheduler's back.",
    );
  }
  return env;
}

function resources(plan: Plan, accelerators: PodAccelerators, comments: Comments) {
  const amounts: Record<string, string | number> = {};
  const said: string[] = [];
  if (plan.resources?.cpus !== undefined) {
    amounts.cpu = kubernetesCpu(plan.resources.cpus);
    said.push(`cpu from --cpus ${plan.resources.cpus}`);
  }
  if (plan.resources?.memoryBytes !== undefined) {
    amounts.memory = kubernetesSize(plan.resources.memoryBytes);
    said.push("memory from --memory (the in-memory /run and /tmp count too)");
  }
  const limits: Record<string, string | number> = { ...amounts };
  if (accelerators.nvidiaGpus > 0) {
    limits[NVIDIA_RESOURCE] = accelerators.nvidiaGpus;
    said.push(
      `${NVIDIA_RESOURCE}: GPUs from the NVIDIA device plugin, which picks them and sets NVIDIA_VISIBLE_DEVICES (if the nvidia runtime is not the node's default, add runtimeClassName: nvidia)`,
    );
  }
  if (accelerators.ascend) {
    limits[accelerators.ascend.resource] = accelerators.ascend.chips;
    said.push(
      `${accelerators.ascend.resource}: chips from the Ascend device plugin, by the image's chip family; the plugin picks them and adds their /dev/davinci nodes (no fixed ASCEND_VISIBLE_DEVICES)`,
    );
  }
  if (Object.keys(limits).length === 0) return undefined;
  const result: IResourceRequirements = {
    ...(Object.keys(amounts).length > 0 ? { requests: amounts } : {}),
    limits,
  };
  comments.whole(
    "resources",
    [
      `resources: ${said.join("; ")}.`,
      ...(Object.keys(amounts).length > 0
        ? [
            "Requests equal limits: the scheduler places the pod where that much is free, and it is never squeezed below it.",
          ]
        : []),
    ].join("\n"),
  );
  return result;
}

function securityContext(plan: Plan, cgroup: NodeCgroup, comments: Comments): ISecurityContext {
  const privileged = cgroup === "v2-privileged" || plan.privileged;
  const why: string[] = [];
  if (cgroup === "v2-privileged") {
    why.push(
      "privileged: --k8s-cgroup v2-privileged; on a cgroup v2 node systemd needs a writable cgroup tree, and containerd gives it only to privileged containers (or, from 2.1, with cgroup_writable: --k8s-cgroup v2-writable).",
    );
  } else if (plan.privileged) {
    why.push(
      "privileged: --debug privileged, so gdb works without limits; a trusted cluster only.",
    );
  } else {
    why.push(
      cgroup === "v1"
        ? "not privileged: on a cgroup v1 node systemd needs only the read-only cgroup tree."
        : "not privileged: containerd's cgroup_writable gives systemd its writable cgroup.",
    );
  }
  const context: ISecurityContext = { privileged };
  if (!privileged && plan.capAdd.length > 0) {
    context.capabilities = { add: [...plan.capAdd] };
    why.push("capabilities.add SYS_PTRACE (--debug ptrace): lets gdb attach to processes.");
  }
  if (!privileged && plan.securityOpt.includes("seccomp=unconfined")) {
    context.seccompProfile = { type: "Unconfined" };
    why.push(
      "seccompProfile Unconfined: lifts the system-call filter, which blocks calls gdb needs.",
    );
  }
  comments.whole("securityContext", why.join("\n"));
  return context;
}

/** The environment's container: the image's systemd as PID 1, as `docker run -itd IMAGE`. */
export function environmentContainer(
  plan: Plan,
  context: {
    volumes: PodVolume[];
    accelerators: PodAccelerators;
    cgroup: NodeCgroup;
    comments: Comments;
  },
): IContainer {
  const { comments } = context;
  comments.field("name", "name: the container of the environment.");
  comments.field(
    "image",
    "image: the ModelBox image; its own command, /sbin/init, starts systemd as PID 1 (nothing is overridden).",
  );
  comments.field(
    "imagePullPolicy",
    "imagePullPolicy IfNotPresent: pulled when the node does not have it, as 'up --pull missing' (to take a newer 'latest', delete the pod or pin a release tag).",
  );
  comments.field("tty", "tty: a terminal, as docker run -t; the images' systemd expects one.");
  comments.field("stdin", "stdin: kept open, as docker run -i.");
  const ports: IContainerPort[] = plan.ports.map((p) => ({
    name: p.purpose,
    containerPort: p.containerPort,
    protocol: "TCP",
  }));
  for (const p of plan.ports) comments.whole(`ports[${p.purpose}]`, PORT_EXPLAIN[p.purpose]);
  const env = environment(plan, context.accelerators, comments);
  const limits = resources(plan, context.accelerators, comments);
  const container: IContainer = {
    name: CONTAINER_NAME,
    image: plan.image,
    imagePullPolicy: "IfNotPresent",
    tty: plan.tty,
    stdin: plan.openStdin,
    ...(env.length > 0 ? { env } : {}),
    ...(ports.length > 0 ? { ports } : {}),
    ...(limits ? { resources: limits } : {}),
    securityContext: securityContext(plan, context.cgroup, comments),
    volumeMounts: context.volumes.flatMap((v) =>
      v.mount ? [{ name: v.volume.name, ...v.mount }] : [],
    ),
  };
  for (const v of context.volumes) {
    if (v.mount) comments.whole(`volumeMounts[${v.volume.name}]`, v.explain);
  }
  const ssh = plan.readiness.find((r) => r.kind === "ssh-banner");
  if (ssh && plan.ports.some((p) => p.purpose === "ssh")) {
    container.readinessProbe = { tcpSocket: { port: "ssh" }, periodSeconds: 5 };
    comments.whole(
      "readinessProbe",
      "readinessProbe: ready once sshd accepts connections on 22 ('up' waits for sshd the same way); 'kubectl rollout status' waits for this.",
    );
  }
  container.lifecycle = {
    preStop: {
      exec: {
        command: [
          "systemctl",
          "start",
          "halt.target",
          "--job-mode=replace-irreversibly",
          "--no-block",
        ],
      },
    },
  };
  comments.whole(
    "lifecycle",
    "preStop: asks systemd to halt, which is what the image's STOPSIGNAL SIGRTMIN+3 does, so services stop cleanly even where the runtime cannot parse that signal and sends SIGTERM (containerd#5402): systemd as PID 1 takes SIGTERM as 'reexecute', not 'stop'.",
  );
  return container;
}
