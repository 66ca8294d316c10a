import { parseModelboxName } from "../catalog/modelbox-name.js";
import { normalizeImageReference, parseImageReference } from "../catalog/image-reference.js";
import { ModelboxDevError } from "../errors.js";
import type { HostFacts } from "../host/facts.js";
import { LABELS } from "../labels.js";
import { type EnvironmentOptions, STOP_TIMEOUT_SECONDS } from "./options.js";
import { planGpu } from "./plan-gpu.js";
import { planNpu } from "./plan-npu.js";
import { planPorts } from "./plan-ports.js";
import { canonicalJson, hashSpec, specOf } from "./spec-hash.js";
import type { ImageKind, Plan, PlannedMount, PlanWarning, PortPurpose } from "./types.js";
import { parseMount, validateBindAddress, validateName } from "./validate.js";

export interface PlanContext {
  /** Host ports the environment of this name used before (keeps repeated `up` stable). */
  preferredPorts?: Partial<Record<PortPurpose, number>>;
}

function describeImageKind(image: string, override: EnvironmentOptions["kind"]) {
  const ref = parseImageReference(image);
  const last = ref.path.split("/").pop() ?? "";
  const name = parseModelboxName(last);
  const kind: ImageKind = override ?? name?.kind ?? "unknown";
  return { kind, accel: name?.accel, name };
}

function cgroupMounts(facts: HostFacts): {
  mounts: PlannedMount[];
  cgroupnsMode?: "host";
  warnings: PlanWarning[];
} {
  if (facts.engine.cgroupVersion === 2) {
    // systemd in the image must create its own cgroups: on a v2 host a read-only bind fails
    // with "Failed to create /init.scope control group: Read-only file system".
    return {
      mounts: [
        { source: "/sys/fs/cgroup", target: "/sys/fs/cgroup", readOnly: false, purpose: "cgroup" },
      ],
      cgroupnsMode: "host",
      warnings: [],
    };
  }
  return {
    mounts: [
      { source: "/sys/fs/cgroup", target: "/sys/fs/cgroup", readOnly: true, purpose: "cgroup" },
    ],
    warnings: [],
  };
}

/**
 * The pure heart of the tool: what to create for these options on a host with these facts.
 * Throws ModelboxDevError for input that cannot work; never touches the host.
 */
export function planEnvironment(
  options: EnvironmentOptions,
  facts: HostFacts,
  context: PlanContext = {},
): Plan {
  const warnings: PlanWarning[] = [];
  const notes: string[] = [];
  const name = validateName(
    options.name ?? `modelbox_instance_${options.now ?? Math.floor(Date.now() / 1000)}`,
  );
  const image = normalizeImageReference(options.image);
  const { kind, accel } = describeImageKind(image, options.kind);
  if (kind === "unknown") {
    notes.push(
      "The image name is not a ModelBox name, so its kind is unknown: `up` waits only for the container to run (pass --kind develop to wait for SSH).",
    );
  }

  const gpuDecision = planGpu(options.gpus, facts, accel);
  warnings.push(...gpuDecision.warnings);
  notes.push(...gpuDecision.notes);
  const gpuRuntime = gpuDecision.gpu.mode === "nvidia-runtime" ? "nvidia" : undefined;
  const npuDecision = planNpu(options.npu, facts, accel, gpuRuntime !== undefined);
  warnings.push(...npuDecision.warnings);
  notes.push(...npuDecision.notes);

  const env: Record<string, string> = { ...npuDecision.env };
  if (gpuDecision.gpu.mode !== "none") {
    env.NVIDIA_DRIVER_CAPABILITIES = "compute,utility,video";
  }
  if (gpuDecision.gpu.mode === "nvidia-runtime") {
    const d = gpuDecision.gpu.devices;
    env.NVIDIA_VISIBLE_DEVICES = d === "all" ? "all" : d.join(",");
  }

  const purposes: PortPurpose[] = kind === "runtime" ? ["http"] : ["ssh", "editor", "http"];
  if (kind === "runtime") {
    notes.push("Runtime image: no sshd and no editor, so only the HTTP port is published.");
  }
  const hostIp = validateBindAddress(options.bind ?? "");
  const portPlan = planPorts({
    purposes,
    explicit: { ssh: options.sshPort, editor: options.editorPort, http: options.httpPort },
    preferred: context.preferredPorts ?? {},
    hostIp,
    inUse: facts.portsInUse.filter((u) => !(u.by === "modelbox-dev" && u.detail === name)),
  });
  warnings.push(...portPlan.warnings);

  const cgroup = cgroupMounts(facts);
  warnings.push(...cgroup.warnings);
  const mounts: PlannedMount[] = [...cgroup.mounts];
  if (options.defaultMounts !== false) {
    mounts.push(
      { source: "/opt/modelbox", target: "/opt/modelbox", readOnly: false, purpose: "modelbox" },
      { source: "/home", target: "/home", readOnly: false, purpose: "home" },
    );
  }
  for (const text of options.mounts ?? []) {
    const mount = parseMount(text);
    const clash = mounts.find((m) => m.target === mount.target);
    if (clash) {
      // A user mount replaces a default one at the same place (e.g. a different /home).
      if (clash.purpose === "user" || clash.purpose === "cgroup") {
        throw new ModelboxDevError(
          "INVALID_MOUNT",
          `Two mounts target ${mount.target}.`,
          clash.purpose === "cgroup"
            ? "/sys/fs/cgroup is mounted by modelbox-dev for systemd; choose another target."
            : "Give each --mount its own container path.",
        );
      }
      mounts.splice(mounts.indexOf(clash), 1);
    }
    mounts.push(mount);
  }

  const debug = options.debug ?? "none";
  const privileged = debug === "privileged";
  const capAdd = debug === "ptrace" ? ["SYS_PTRACE"] : [];
  const securityOpt = debug === "ptrace" ? ["seccomp=unconfined"] : [];
  const runtime = gpuRuntime ?? npuDecision.runtime;

  const sshPort = portPlan.ports.find((p) => p.purpose === "ssh");
  const readiness: Plan["readiness"] = [{ kind: "running" }];
  if (kind === "develop" && sshPort) readiness.push({ kind: "ssh-banner", port: sshPort.hostPort });

  const draft: Omit<Plan, "specHash"> = {
    planVersion: 1,
    name,
    image,
    imageKind: kind,
    ...(accel ? { imageAccel: accel } : {}),
    labels: {},
    env,
    tty: true,
    openStdin: true,
    ports: portPlan.ports,
    mounts,
    tmpfs: ["/tmp", "/run", "/run/lock"],
    ...(cgroup.cgroupnsMode ? { cgroupnsMode: cgroup.cgroupnsMode } : {}),
    gpu: gpuDecision.gpu,
    npu: npuDecision.npu,
    devices: npuDecision.devices,
    ...(runtime ? { runtime } : {}),
    debug,
    privileged,
    capAdd,
    securityOpt,
    stopTimeoutSeconds: STOP_TIMEOUT_SECONDS,
    readiness,
    warnings,
    notes,
  };
  const spec = specOf(draft);
  const specHash = hashSpec(spec);
  draft.labels = {
    [LABELS.managed]: "true",
    [LABELS.name]: name,
    [LABELS.specHash]: specHash,
    [LABELS.spec]: canonicalJson(spec),
    [LABELS.image]: image,
    [LABELS.kind]: kind,
    [LABELS.ports]: portPlan.ports.map((p) => `${p.purpose}=${p.hostPort}`).join(","),
    ...(options.toolVersion ? { [LABELS.toolVersion]: options.toolVersion } : {}),
  };
  return { ...draft, specHash };
}
