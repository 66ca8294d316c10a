import { parseModelboxName } from "../catalog/modelbox-name.js";
import { normalizeImageReference, parseImageReference } from "../catalog/image-reference.js";
import { compareVersions } from "../catalog/version.js";
import { ModelboxDevError } from "../errors.js";
import type { HostFacts } from "../host/facts.js";
import { LABELS } from "../labels.js";
import { type EnvironmentOptions, STOP_TIMEOUT_SECONDS } from "./options.js";
import { planGpu } from "./plan-gpu.js";
import { planNpu } from "./plan-npu.js";
import { DEFAULT_EXECUTION, defaultAccess, planSteps } from "./plan-steps.js";
import { type PreviousPorts, planPorts } from "./plan-ports.js";
import { parseResourceLimits } from "./resources.js";
import { canonicalJson, hashSpec, specOf } from "./spec-hash.js";
import type { PlanImageKind, Plan, PlannedMount, PlanWarning, PortPurpose } from "./types.js";
import { parseMount, parsePort, validateBindAddress, validateName } from "./validate.js";

export interface PlanContext {
  /** Port mappings the environment of this name used before (keeps repeated `up` stable). */
  previousPorts?: PreviousPorts;
}

function describeImageKind(image: string, override: EnvironmentOptions["kind"]) {
  const ref = parseImageReference(image);
  const last = ref.path.split("/").pop() ?? "";
  const name = parseModelboxName(last);
  const kind: PlanImageKind = override ?? name?.kind ?? "unknown";
  return { kind, accel: name?.accel, name };
}

/** Engine API 1.41 (Docker 20.10) added --cgroupns and cgroup v2 support. */
const CGROUPNS_API = "1.41";
/** Engine API 1.44 (Docker 25) made `:ro` binds recursively read-only. */
const RECURSIVE_RO_API = "1.44";

function cgroupMounts(facts: HostFacts): {
  mounts: PlannedMount[];
  cgroupnsMode?: "host";
  warnings: PlanWarning[];
} {
  const api = facts.engine.apiVersion;
  if (facts.engine.cgroupVersion === 2) {
    // systemd in the image must create its own cgroups: on a v2 host a read-only bind fails
    // with "Failed to create /init.scope control group: Read-only file system".
    const warnings: PlanWarning[] =
      compareVersions(api, CGROUPNS_API) < 0
        ? [
            {
              code: "CGROUP_V2_OLD_ENGINE",
              message: `This host uses cgroup v2, which Docker ${facts.engine.serverVersion} (API ${api}) does not support (--cgroupns needs Docker 20.10+): upgrade Docker, or boot the host with cgroup v1.`,
            },
          ]
        : [];
    return {
      mounts: [
        { source: "/sys/fs/cgroup", target: "/sys/fs/cgroup", readOnly: false, purpose: "cgroup" },
      ],
      cgroupnsMode: "host",
      warnings,
    };
  }
  const nonRecursive = compareVersions(api, RECURSIVE_RO_API) >= 0;
  return {
    mounts: [
      {
        source: "/sys/fs/cgroup",
        target: "/sys/fs/cgroup",
        readOnly: true,
        ...(nonRecursive ? { readOnlyNonRecursive: true } : {}),
        purpose: "cgroup",
      },
    ],
    warnings: [],
  };
}

/** systemd needs these writable and in memory; a bind there would break the boot. */
const SYSTEMD_TMPFS = ["/run", "/run/lock"];

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
    // Still reject nonsense, and say that a valid value has no effect.
    for (const [flag, value] of [
      ["--ssh-port", options.sshPort],
      ["--editor-port", options.editorPort],
    ] as const) {
      if (value === undefined) continue;
      parsePort(value, flag);
      notes.push(
        `${flag} is ignored: a runtime image has no ${flag === "--ssh-port" ? "sshd" : "editor"}.`,
      );
    }
  }
  const hostIp = validateBindAddress(options.bind ?? "");
  const portPlan = planPorts({
    purposes,
    explicit: { ssh: options.sshPort, editor: options.editorPort, http: options.httpPort },
    preferred: context.previousPorts ?? {},
    hostIp,
    inUse: facts.portsInUse.filter((u) => !(u.by === "modelbox-dev" && u.detail === name)),
    rootless: facts.engine.rootless,
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
  const tmpfs = ["/tmp", "/run", "/run/lock"];
  for (const text of options.mounts ?? []) {
    const mount = parseMount(text);
    if (SYSTEMD_TMPFS.includes(mount.target)) {
      throw new ModelboxDevError(
        "INVALID_MOUNT",
        `Cannot mount over ${mount.target}: systemd in the image needs it as an in-memory tmpfs.`,
        "Mount your directory somewhere else, e.g. --mount /data:/data.",
      );
    }
    // A host directory at /tmp replaces the in-memory /tmp.
    if (mount.target === "/tmp") tmpfs.splice(tmpfs.indexOf("/tmp"), 1);
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

  const resources = parseResourceLimits(options.cpus, options.memory);
  const debug = options.debug ?? "none";
  const privileged = debug === "privileged";
  const capAdd = debug === "ptrace" ? ["SYS_PTRACE"] : [];
  const securityOpt = debug === "ptrace" ? ["seccomp=unconfined"] : [];
  const runtime = gpuRuntime ?? npuDecision.runtime;

  const sshPort = portPlan.ports.find((p) => p.purpose === "ssh");
  const readiness: Plan["readiness"] = [{ kind: "running" }];
  if (kind === "develop" && sshPort) readiness.push({ kind: "ssh-banner", port: sshPort.hostPort });

  const access = options.access ?? defaultAccess();
  const execution = options.execution ?? DEFAULT_EXECUTION;
  const stepsDecision = planSteps({
    name,
    image,
    kind,
    ports: portPlan.ports,
    access,
    execution,
  });
  notes.push(...stepsDecision.notes);
  warnings.unshift(
    ...(options.imageWarnings ?? []).map((message) => ({ code: "IMAGE_CHOICE", message })),
  );

  const draft: Omit<Plan, "specHash"> = {
    planVersion: 1,
    name,
    image,
    imageKind: kind,
    ...(options.imageReason ? { imageReason: options.imageReason } : {}),
    ...(accel ? { imageAccel: accel } : {}),
    labels: {},
    env,
    tty: true,
    openStdin: true,
    ports: portPlan.ports,
    mounts,
    tmpfs,
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
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    readiness,
    access,
    execution,
    steps: stepsDecision.steps,
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
