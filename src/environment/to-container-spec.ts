import type { ContainerSpec, GpuRequest } from "../engine/types.js";
import { cdiGpuNames } from "../plan/plan-gpu.js";
import type { Plan } from "../plan/types.js";
import type { UserEnvValues } from "../plan/user-env.js";

/**
 * The variables as `docker run` sends them: the `--env-file` ones, then the `-e` ones (ours, then
 * the user's `--env`). The user's values come from outside the plan, which never holds them.
 */
function envOf(plan: Plan, user: UserEnvValues | undefined): Record<string, string> {
  return { ...user?.fromFiles, ...plan.env, ...user?.fromFlags };
}

/** Docker's --gpus as a device request; Podman's CDI names as a "cdi" one (Podman 5.5+). */
function gpuRequests(plan: Plan): GpuRequest[] {
  const gpu = plan.gpu;
  if (gpu.mode === "cdi") {
    return [{ driver: "cdi", deviceIds: cdiGpuNames(gpu.devices), capabilities: [] }];
  }
  if (gpu.mode !== "device-request") return [];
  return [
    gpu.devices === "all"
      ? { count: -1, capabilities: [["gpu"]] }
      : { deviceIds: gpu.devices, capabilities: [["gpu"]] },
  ];
}

/** The container the plan describes, in the engine's terms (the mirror of docker-run-args). */
export function toContainerSpec(
  plan: Plan,
  extraLabels: Record<string, string> = {},
  userEnv?: UserEnvValues,
): ContainerSpec {
  return {
    name: plan.name,
    image: plan.image,
    labels: { ...plan.labels, ...extraLabels },
    env: envOf(plan, userEnv),
    tty: plan.tty,
    openStdin: plan.openStdin,
    ports: [
      ...plan.ports.map((p) => ({
        hostIp: p.hostIp,
        hostPort: p.hostPort,
        containerPort: p.containerPort,
      })),
      ...plan.publish.map((p) => ({ ...p })),
    ],
    binds: plan.mounts.map((m) => ({
      source: m.source,
      target: m.target,
      readOnly: m.readOnly,
      ...(m.readOnlyNonRecursive ? { readOnlyNonRecursive: true } : {}),
    })),
    volumes: plan.volumes.map((v) => ({ name: v.name, target: v.target })),
    tmpfs: Object.fromEntries(plan.tmpfs.map((t) => [t, ""])),
    ...(plan.cgroupnsMode ? { cgroupnsMode: plan.cgroupnsMode } : {}),
    devices: plan.devices,
    gpuRequests: gpuRequests(plan),
    ...(plan.runtime ? { runtime: plan.runtime } : {}),
    privileged: plan.privileged,
    capAdd: plan.capAdd,
    securityOpt: plan.securityOpt,
    stopTimeoutSeconds: plan.stopTimeoutSeconds,
    restartPolicy: plan.restartPolicy,
    shmSizeBytes: plan.shm.sizeBytes,
    ...(plan.resources?.memoryBytes !== undefined
      ? { memoryBytes: plan.resources.memoryBytes }
      : {}),
    // `docker run --cpus` sends NanoCpus: whole thousandths (parseCpus) make whole nanos.
    ...(plan.resources?.cpus !== undefined
      ? { nanoCpus: Math.round(plan.resources.cpus * 1e9) }
      : {}),
    ulimits: plan.ulimits.map((u) => ({ ...u })),
  };
}
