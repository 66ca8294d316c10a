import { parseModelboxName } from "../catalog/modelbox-name.js";
import { normalizeImageReference, parseImageReference } from "../catalog/image-reference.js";
import type { HostFacts } from "../host/facts.js";
import { LABELS } from "../labels.js";
import {
  DEFAULT_RESTART_POLICY,
  type EnvironmentOptions,
  STOP_TIMEOUT_SECONDS,
} from "./options.js";
import { cgroupMounts } from "./plan-cgroup.js";
import { planGpu } from "./plan-gpu.js";
import { planHomeVolume } from "./plan-home-volume.js";
import { planLimits } from "./plan-limits.js";
import { planMounts } from "./plan-mounts.js";
import { planNpu } from "./plan-npu.js";
import { type PreviousPorts, assertPublishPublishable, planPorts } from "./plan-ports.js";
import { planPublish, reservedByPublish } from "./plan-publish.js";
import { DEFAULT_EXECUTION, defaultAccess, planSteps } from "./plan-steps.js";
import { canonicalJson, hashSpec, specOf } from "./spec-hash.js";
import type { PlanImageKind, Plan, PlannedPort, PlanWarning, PortPurpose } from "./types.js";
import { describeUserEnv, withUserEnv } from "./user-env.js";
import { parsePort, parseRestartPolicy, validateBindAddress, validateName } from "./validate.js";

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

/** A runtime image has no sshd and no editor: only HTTP is published, and their ports say so. */
function purposesFor(kind: PlanImageKind, options: EnvironmentOptions, notes: string[]) {
  if (kind !== "runtime") return ["ssh", "editor", "http"] satisfies PortPurpose[];
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
  return ["http"] satisfies PortPurpose[];
}

/** The labels that make the container ours and record what it was made from. */
function labelsOf(
  plan: Omit<Plan, "specHash">,
  specHash: string,
  options: EnvironmentOptions,
): Record<string, string> {
  return {
    [LABELS.managed]: "true",
    [LABELS.name]: plan.name,
    [LABELS.specHash]: specHash,
    [LABELS.spec]: canonicalJson(specOf(plan)),
    [LABELS.image]: plan.image,
    [LABELS.kind]: plan.imageKind,
    [LABELS.ports]: plan.ports.map((p: PlannedPort) => `${p.purpose}=${p.hostPort}`).join(","),
    ...(options.recordedOptions ? { [LABELS.options]: options.recordedOptions } : {}),
    ...(options.toolVersion ? { [LABELS.toolVersion]: options.toolVersion } : {}),
    ...(options.owner ? { [LABELS.owner]: options.owner } : {}),
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
      "The image name is not a ModelBox name, so its kind is unknown: SSH login and developer mode are set up if the image has sshd and modelbox-tool, and skipped if not (--kind develop requires them, --kind runtime skips them).",
    );
  }

  const gpuDecision = planGpu(options.gpus, facts, accel, name);
  warnings.push(...gpuDecision.warnings);
  notes.push(...gpuDecision.notes);
  const gpuRuntime = gpuDecision.gpu.mode === "nvidia-runtime" ? "nvidia" : undefined;
  const npuDecision = planNpu(options.npu, facts, accel, gpuRuntime !== undefined);
  warnings.push(...npuDecision.warnings);
  notes.push(...npuDecision.notes);

  const ownEnv: Record<string, string> = { ...npuDecision.env };
  if (gpuDecision.gpu.mode !== "none") {
    ownEnv.NVIDIA_DRIVER_CAPABILITIES = "compute,utility,video";
  }
  if (gpuDecision.gpu.mode === "nvidia-runtime") {
    const d = gpuDecision.gpu.devices;
    ownEnv.NVIDIA_VISIBLE_DEVICES = d === "all" ? "all" : d.join(",");
  }
  const plannedUserEnv =
    options.userEnv && describeUserEnv(name, options.userEnv.values, options.userEnv.files);
  const userEnv = withUserEnv(ownEnv, plannedUserEnv);
  notes.push(...userEnv.notes);

  const purposes = purposesFor(kind, options, notes);
  const hostIp = validateBindAddress(options.bind ?? "");
  // Ports this environment holds now become its own again.
  const inUse = facts.portsInUse.filter((u) => !(u.by === "modelbox-dev" && u.detail === name));
  const publish = planPublish(options.publish ?? [], inUse);
  assertPublishPublishable(publish, facts.engine.rootless);
  const portPlan = planPorts({
    purposes,
    explicit: { ssh: options.sshPort, editor: options.editorPort, http: options.httpPort },
    preferred: context.previousPorts ?? {},
    hostIp,
    inUse,
    reserved: reservedByPublish(publish, hostIp),
    rootless: facts.engine.rootless,
  });
  warnings.push(...portPlan.warnings);

  const cgroup = cgroupMounts(facts);
  warnings.push(...cgroup.warnings);
  const { mounts, tmpfs } = planMounts(cgroup.mounts, options);
  const limits = planLimits(options, facts);
  warnings.push(...limits.warnings);

  const debug = options.debug ?? "none";
  const runtime = gpuRuntime ?? npuDecision.runtime;
  const sshPort = portPlan.ports.find((p) => p.purpose === "ssh");
  const readiness: Plan["readiness"] = [{ kind: "running" }];
  if (kind === "develop" && sshPort) readiness.push({ kind: "ssh-banner", port: sshPort.hostPort });

  const access = options.access ?? defaultAccess();
  const execution = options.execution ?? DEFAULT_EXECUTION;
  const volumes = planHomeVolume(name, options.homeVolume);
  const stepsDecision = planSteps({
    name,
    image,
    kind,
    ports: portPlan.ports,
    volumes,
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
    env: userEnv.env,
    ...(plannedUserEnv ? { userEnv: plannedUserEnv } : {}),
    tty: true,
    openStdin: true,
    ports: portPlan.ports,
    publish,
    mounts,
    volumes,
    tmpfs,
    ...(cgroup.cgroupnsMode ? { cgroupnsMode: cgroup.cgroupnsMode } : {}),
    gpu: gpuDecision.gpu,
    npu: npuDecision.npu,
    devices: npuDecision.devices,
    ...(runtime ? { runtime } : {}),
    debug,
    privileged: debug === "privileged",
    capAdd: debug === "ptrace" ? ["SYS_PTRACE"] : [],
    securityOpt: debug === "ptrace" ? ["seccomp=unconfined"] : [],
    stopTimeoutSeconds: STOP_TIMEOUT_SECONDS,
    ...(limits.resources ? { resources: limits.resources } : {}),
    restartPolicy: parseRestartPolicy(options.restart ?? DEFAULT_RESTART_POLICY),
    shm: limits.shm,
    ulimits: limits.ulimits,
    readiness,
    access,
    execution,
    steps: stepsDecision.steps,
    warnings,
    notes,
  };
  const specHash = hashSpec(specOf(draft));
  draft.labels = labelsOf(draft, specHash, options);
  return { ...draft, specHash };
}
