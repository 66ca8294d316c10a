/**
 * Small builders for HostFacts in tests. Everything goes through `hostFactsSchema.parse`, so the
 * schema's defaults apply exactly as they do for a `--facts FILE`, and a builder that drifts from
 * the schema fails loudly instead of producing facts no probe could.
 */
import {
  hostFactsSchema,
  type HostFacts,
  type HostFactsInput,
  type PortUse,
} from "../../src/host/facts.js";

/** Docker releases the tests care about, with the Engine API version each really reports. */
export const DOCKER_API_VERSIONS = {
  /** Predates --gpus: GPUs only through nvidia-docker2's --runtime=nvidia. */
  "18.09.0": "1.39",
  /** First with --gpus (device requests). */
  "19.03.12": "1.40",
  "20.10.24": "1.41",
  "24.0.6": "1.43",
  /** First where a plain `:ro` bind is recursively read-only. */
  "25.0.3": "1.44",
  "28.0.0": "1.48",
} as const;

export type DockerVersion = keyof typeof DOCKER_API_VERSIONS;

export interface GpuInput {
  index?: number;
  name?: string;
  uuid?: string;
}

export interface NvidiaInput {
  /** A number makes that many "Tesla T4" GPUs with indices 0..n-1. */
  gpus: number | GpuInput[];
  driverVersion?: string;
  cudaVersion?: string;
  /** nvidia-container-toolkit installed (default true). */
  toolkitPresent?: boolean;
  /** Default "ok"; "absent" and "error" describe a driver that is missing or failing. */
  smi?: "ok" | "absent" | "error";
  smiError?: string;
}

export interface AscendInput {
  /** /dev/davinci<N> indices. */
  chips: number[];
  /** npu-smi's chip model, e.g. "310" or "310P3". */
  chipName?: string;
  driverVersion?: string;
}

export interface DockerFactsOptions {
  /** Daemon version (default 20.10.24); the API version follows from it. */
  version?: DockerVersion;
  /** Runtimes registered besides runc, e.g. ["nvidia"] or ["ascend"]. */
  runtimes?: string[];
  cgroupVersion?: 1 | 2;
  arch?: "x86_64" | "aarch64";
  nvidia?: NvidiaInput;
  ascend?: AscendInput;
  /** Port numbers (held by a host process) or full PortUse entries. */
  portsInUse?: Array<number | PortUse>;
}

function gpuList(gpus: NvidiaInput["gpus"]): Array<{ index: number; name: string; uuid?: string }> {
  if (typeof gpus === "number") {
    return Array.from({ length: gpus }, (_, index) => ({
      index,
      name: "Tesla T4",
      uuid: `GPU-0000000${index}-aaaa-bbbb-cccc-dddddddddddd`,
    }));
  }
  return gpus.map((g, i) => ({
    index: g.index ?? i,
    name: g.name ?? "Tesla T4",
    ...(g.uuid ? { uuid: g.uuid } : {}),
  }));
}

/**
 * Facts of a Docker host. Defaults: Docker 20.10.24 (API 1.41), only runc, cgroup v1, x86_64,
 * no NVIDIA section (nvidia-smi not installed), no Ascend chips, no port in use.
 */
export function dockerFacts(options: DockerFactsOptions = {}): HostFacts {
  const version = options.version ?? "20.10.24";
  const input: HostFactsInput = {
    engine: {
      kind: "docker",
      serverVersion: version,
      apiVersion: DOCKER_API_VERSIONS[version],
      runtimes: ["io.containerd.runc.v2", "runc", ...(options.runtimes ?? [])],
      defaultRuntime: "runc",
      cgroupVersion: options.cgroupVersion ?? 1,
      cgroupDriver: (options.cgroupVersion ?? 1) === 2 ? "systemd" : "cgroupfs",
      arch: options.arch ?? "x86_64",
      os: "Ubuntu 22.04.3 LTS",
    },
    portsInUse: (options.portsInUse ?? []).map((p) =>
      typeof p === "number" ? { port: p, by: "host" as const, detail: "sshd" } : p,
    ),
  };
  if (options.nvidia) {
    const n = options.nvidia;
    const smi = n.smi ?? "ok";
    input.nvidia = {
      smi,
      ...(n.smiError !== undefined ? { smiError: n.smiError } : {}),
      ...(smi === "ok"
        ? { driverVersion: n.driverVersion ?? "535.104.05", cudaVersion: n.cudaVersion ?? "12.2" }
        : {}),
      gpus: smi === "ok" ? gpuList(n.gpus) : [],
      toolkitPresent: n.toolkitPresent ?? true,
      ...((n.toolkitPresent ?? true) ? { toolkitVersion: "1.14.3" } : {}),
    };
  }
  if (options.ascend) {
    input.ascend = {
      chips: options.ascend.chips,
      npuSmi: "ok",
      ...(options.ascend.chipName !== undefined ? { chipName: options.ascend.chipName } : {}),
      ...(options.ascend.driverVersion !== undefined
        ? { driverVersion: options.ascend.driverVersion }
        : {}),
    };
  }
  return hostFactsSchema.parse(input);
}

/** A cgroup v1 Docker 20.10 host without GPU or NPU: the seed's "machine without a GPU". */
export function cpuOnlyFacts(overrides: Omit<DockerFactsOptions, "nvidia" | "ascend"> = {}) {
  return dockerFacts(overrides);
}

/** A modern GPU host: Docker 24.0 with nvidia-container-toolkit and `count` GPUs. */
export function gpuFacts(count = 2, overrides: DockerFactsOptions = {}): HostFacts {
  return dockerFacts({ version: "24.0.6", nvidia: { gpus: count }, ...overrides });
}

/** An Ascend 310 host with chips /dev/davinci0..3. */
export function ascendFacts(overrides: DockerFactsOptions = {}): HostFacts {
  return dockerFacts({
    arch: "aarch64",
    ascend: { chips: [0, 1, 2, 3], chipName: "310" },
    ...overrides,
  });
}

/** A Podman host (its Docker-compatible API reports 1.41) with `count` GPUs: GPUs through CDI. */
export function podmanGpuFacts(count = 1, serverVersion = "5.5.1"): HostFacts {
  const base = dockerFacts({ nvidia: { gpus: count } });
  return hostFactsSchema.parse({
    ...base,
    engine: {
      ...base.engine,
      kind: "podman",
      serverVersion,
      apiVersion: "1.41",
      runtimes: ["crun"],
      defaultRuntime: "crun",
    },
  });
}
