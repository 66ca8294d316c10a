import type Docker from "dockerode";
import type {
  ContainerDetails,
  ContainerStatus,
  ContainerSummary,
  ImageDetails,
  PublishedPort,
  RegistryAuth,
  RestartPolicySpec,
  Ulimit,
  VolumeDetails,
  VolumeMount,
} from "../types.js";

/** Dockerode's answers in our own types: nothing outside engine/docker/ sees dockerode's. */

function envListToRecord(list: string[] | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf("=");
    if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const udp = (proto: string | undefined) => (proto === "udp" ? { protocol: "udp" as const } : {});

function portsFromSummary(ports: Docker.Port[]): PublishedPort[] {
  return ports
    .filter((p) => p.PublicPort !== undefined && (p.Type === "tcp" || p.Type === "udp"))
    .map((p) => ({
      hostIp: p.IP ?? "",
      hostPort: p.PublicPort,
      containerPort: p.PrivatePort,
      ...udp(p.Type),
    }));
}

function portsFromInspect(
  bindings: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | undefined,
): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const [port, proto] = key.split("/");
    if ((proto !== "tcp" && proto !== "udp") || !list) continue;
    for (const b of list) {
      // "" or "0": the engine picks the port at start (only NetworkSettings knows it then).
      const hostPort = Number(b.HostPort);
      if (!Number.isInteger(hostPort) || hostPort <= 0) continue;
      out.push({ hostIp: b.HostIp ?? "", hostPort, containerPort: Number(port), ...udp(proto) });
    }
  }
  return out;
}

/** The default bridge reports its gateway at the top level; user networks only per network. */
function gatewayOf(
  settings: { Gateway?: string; Networks?: Record<string, { Gateway?: string }> } | undefined,
): { gateway?: string } {
  const gateway =
    settings?.Gateway ||
    Object.values(settings?.Networks ?? {})
      .map((n) => n.Gateway)
      .find((g) => g);
  return gateway ? { gateway } : {};
}

const DOCKER_HUB_PREFIX = /^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/(.+)$/;

/**
 * An image name as Docker reports it: Podman qualifies Docker Hub names in full
 * (docker.io/library/debian:12, docker.io/modelbox/…), Docker leaves the Hub out (debian:12,
 * modelbox/…). Reported the Docker way, names match wherever they are compared (the catalogue,
 * the probe image, the digest of the registry pulled from).
 */
export function familiarImageName(name: string): string {
  const hub = DOCKER_HUB_PREFIX.exec(name)?.[1];
  if (hub === undefined) return name;
  return hub.startsWith("library/") ? hub.slice("library/".length) : hub;
}

export function toImageDetails(img: Docker.ImageInspectInfo): ImageDetails {
  return {
    id: img.Id,
    repoTags: (img.RepoTags ?? []).map(familiarImageName),
    repoDigests: (img.RepoDigests ?? []).map(familiarImageName),
    labels: img.Config?.Labels ?? {},
    env: envListToRecord(img.Config?.Env),
    architecture: img.Architecture,
    os: img.Os,
    sizeBytes: img.Size,
  };
}

type Bindings = Parameters<typeof portsFromInspect>[0];

/**
 * The host ports the engine really publishes: while the container runs, what it bound
 * (NetworkSettings, which also resolves a host port left for the engine to pick); otherwise
 * what it will bind at the next start (HostConfig). Never what a label claims.
 */
function publishedPorts(c: Docker.ContainerInspectInfo): PublishedPort[] {
  const live = portsFromInspect(c.NetworkSettings?.Ports);
  if (c.State.Running && live.length > 0) return live;
  return portsFromInspect(c.HostConfig.PortBindings as Bindings);
}

const RESTART_NAMES = ["no", "always", "unless-stopped", "on-failure"] as const;

/** The engine reports "" for a container created without --restart: that is "no". */
function restartPolicyOf(
  policy: { Name?: string; MaximumRetryCount?: number } | undefined,
): RestartPolicySpec {
  const name = RESTART_NAMES.find((n) => n === policy?.Name) ?? "no";
  const count = policy?.MaximumRetryCount ?? 0;
  return name === "on-failure" && count > 0 ? { name, maximumRetryCount: count } : { name };
}

/** Named volumes among the container's mounts. */
function volumesOf(mounts: Docker.ContainerInspectInfo["Mounts"] | undefined): VolumeMount[] {
  return (mounts ?? [])
    .filter((m) => m.Type === "volume" && m.Name)
    .map((m) => ({ name: m.Name ?? "", target: m.Destination }));
}

const positive = (n: unknown) => (typeof n === "number" && n > 0 ? n : undefined);

function limitsOf(h: Record<string, unknown>): ContainerDetails["limits"] {
  const shmSizeBytes = positive(h.ShmSize);
  const memoryBytes = positive(h.Memory);
  const nanoCpus = positive(h.NanoCpus);
  const ulimits: Ulimit[] = Array.isArray(h.Ulimits)
    ? (h.Ulimits as Array<{ Name: string; Soft: number; Hard: number }>).map((u) => ({
        name: u.Name,
        soft: u.Soft,
        hard: u.Hard,
      }))
    : [];
  return {
    ...(shmSizeBytes !== undefined ? { shmSizeBytes } : {}),
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
    ...(nanoCpus !== undefined ? { nanoCpus } : {}),
    ulimits,
  };
}

export function toVolumeDetails(v: Docker.VolumeInspectInfo): VolumeDetails {
  const created = (v as { CreatedAt?: string }).CreatedAt;
  return {
    name: v.Name,
    labels: v.Labels ?? {},
    ...(created ? { createdAt: new Date(created) } : {}),
  };
}

export function toContainerDetails(c: Docker.ContainerInspectInfo): ContainerDetails {
  const hostConfig = c.HostConfig as unknown as Record<string, unknown>;
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ""),
    status: c.State.Status as ContainerStatus,
    image: familiarImageName(c.Config.Image),
    imageId: c.Image,
    labels: c.Config.Labels ?? {},
    created: new Date(c.Created),
    ports: publishedPorts(c),
    exitCode: c.State.ExitCode,
    startedAt: c.State.StartedAt ? new Date(c.State.StartedAt) : undefined,
    finishedAt: c.State.FinishedAt ? new Date(c.State.FinishedAt) : undefined,
    hostConfig,
    bindings: portsFromInspect(c.HostConfig.PortBindings as Bindings),
    restartPolicy: restartPolicyOf(c.HostConfig.RestartPolicy),
    env: envListToRecord(c.Config.Env),
    volumes: volumesOf(c.Mounts),
    limits: limitsOf(hostConfig),
    ...gatewayOf(c.NetworkSettings),
  };
}

export function toContainerSummary(c: Docker.ContainerInfo): ContainerSummary {
  return {
    id: c.Id,
    name: (c.Names[0] ?? "").replace(/^\//, ""),
    status: c.State as ContainerStatus,
    image: familiarImageName(c.Image),
    labels: c.Labels ?? {},
    created: new Date(c.Created * 1000),
    ports: portsFromSummary(c.Ports),
  };
}

/** X-Registry-Auth as the Engine API reads it (dockerode base64-encodes it). */
export function toAuthConfig(auth: RegistryAuth): Record<string, string> {
  return {
    serveraddress: auth.serverAddress,
    ...(auth.username !== undefined ? { username: auth.username } : {}),
    ...(auth.password !== undefined ? { password: auth.password } : {}),
    ...(auth.identityToken !== undefined ? { identitytoken: auth.identityToken } : {}),
  };
}

/** Splits Docker's multiplexed log stream (8-byte frame headers) into plain text. */
export function demuxBuffer(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8");
}
