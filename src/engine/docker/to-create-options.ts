import type Docker from "dockerode";
import type { ContainerSpec } from "../types.js";

/**
 * Maps our ContainerSpec to the Engine API's create body, field for field as `docker run` would
 * send it, so a container made here and one made by the rendered script inspect the same.
 */
export function toCreateOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of spec.ports) {
    const key = `${p.containerPort}/${p.protocol ?? "tcp"}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  }
  const hostConfig: Docker.HostConfig = {
    // `-v` binds as Binds; a non-recursive read-only bind needs the Mounts form (`--mount`).
    Binds: [
      ...spec.binds
        .filter((b) => !b.readOnlyNonRecursive)
        .map((b) => `${b.source}:${b.target}${b.readOnly ? ":ro" : ""}`),
      // A named volume in Binds (`-v name:/root`): the engine fills it from the image when empty.
      ...spec.volumes.map((v) => `${v.name}:${v.target}`),
    ],
    ...(spec.binds.some((b) => b.readOnlyNonRecursive)
      ? {
          Mounts: spec.binds
            .filter((b) => b.readOnlyNonRecursive)
            .map((b) => ({
              Type: "bind" as const,
              Source: b.source,
              Target: b.target,
              ReadOnly: true,
              // The typings predate API 1.44 and know only Propagation.
              BindOptions: {
                ReadOnlyNonRecursive: true,
              } as unknown as Docker.MountSettings["BindOptions"],
            })),
        }
      : {}),
    Tmpfs: spec.tmpfs,
    PortBindings: bindings,
    Privileged: spec.privileged,
    // As `docker run` sends them: absent when empty; restart policy "no" unless one is given.
    ...(spec.capAdd.length ? { CapAdd: spec.capAdd } : {}),
    ...(spec.securityOpt.length ? { SecurityOpt: spec.securityOpt } : {}),
    RestartPolicy: {
      Name: spec.restartPolicy?.name ?? "no",
      MaximumRetryCount: spec.restartPolicy?.maximumRetryCount ?? 0,
    },
    Devices: spec.devices.map((d) => ({
      PathOnHost: d.hostPath,
      PathInContainer: d.containerPath,
      CgroupPermissions: d.permissions,
    })),
    ...(spec.gpuRequests.length
      ? {
          DeviceRequests: spec.gpuRequests.map((g) => ({
            Driver: g.driver ?? "",
            Count: g.count ?? 0,
            DeviceIDs: g.deviceIds ?? [],
            Capabilities: g.capabilities,
            Options: {},
          })),
        }
      : {}),
    ...(spec.runtime ? { Runtime: spec.runtime } : {}),
    ...(spec.cgroupnsMode ? { CgroupnsMode: spec.cgroupnsMode } : {}),
    ...(spec.networkMode ? { NetworkMode: spec.networkMode } : {}),
    ...(spec.deviceCgroupRules?.length ? { DeviceCgroupRules: spec.deviceCgroupRules } : {}),
    ...(spec.autoRemove ? { AutoRemove: true } : {}),
    ...(spec.shmSizeBytes !== undefined ? { ShmSize: spec.shmSizeBytes } : {}),
    ...(spec.memoryBytes !== undefined ? { Memory: spec.memoryBytes } : {}),
    ...(spec.nanoCpus !== undefined ? { NanoCpus: spec.nanoCpus } : {}),
    ...(spec.ulimits.length
      ? { Ulimits: spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })) }
      : {}),
  };
  return {
    name: spec.name,
    Image: spec.image,
    Labels: spec.labels,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Tty: spec.tty,
    OpenStdin: spec.openStdin,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    ExposedPorts: exposed,
    ...(spec.stopTimeoutSeconds === undefined ? {} : { StopTimeout: spec.stopTimeoutSeconds }),
    ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
    ...(spec.cmd ? { Cmd: spec.cmd } : {}),
    HostConfig: hostConfig,
  };
}
