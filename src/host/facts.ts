import { z } from "zod";

/**
 * HostFacts: everything the planner needs to know about the host, as plain data.
 * Probes build it; `plan --facts FILE` and `doctor --json` read/write exactly this shape, so a
 * plan for someone else's host can be reproduced from their facts. Everything but the engine is
 * optional: an absent section means "not probed / not present".
 */
/** How the engine was reached: which address, chosen how (flag, env, context, default). */
export const engineConnectionSchema = z.object({
  url: z.string(),
  transport: z.enum(["unix", "tcp", "ssh"]),
  source: z.enum(["flag", "env", "context", "default"]),
  via: z.string(),
  context: z.string(),
  /** Set when the engine runs on another machine: facts then come from that machine. */
  remoteHost: z.string().optional(),
});

export const engineFactsSchema = z.object({
  kind: z.enum(["docker", "podman"]),
  /** Daemon version as the engine reports it, e.g. "20.10.24+dfsg1". */
  serverVersion: z.string(),
  /** Engine API version, e.g. "1.41". */
  apiVersion: z.string(),
  /** Registered OCI runtimes, e.g. ["runc", "nvidia"]. */
  runtimes: z.array(z.string()).default([]),
  defaultRuntime: z.string().optional(),
  cgroupVersion: z.union([z.literal(1), z.literal(2)]),
  cgroupDriver: z.string().optional(),
  rootless: z.boolean().default(false),
  /** Host architecture in ModelBox's spelling: x86_64 or aarch64. */
  arch: z.string(),
  os: z.string().optional(),
  dataRoot: z.string().optional(),
  dataRootFreeBytes: z.number().optional(),
  connection: engineConnectionSchema.optional(),
  /** The engine host's memory (the default size of /dev/shm is a share of it). */
  memoryBytes: z.number().optional(),
});

export const gpuSchema = z.object({
  index: z.number().int().nonnegative(),
  name: z.string(),
  uuid: z.string().optional(),
  memoryMiB: z.number().optional(),
});

export const nvidiaFactsSchema = z.object({
  /** ok: nvidia-smi answered; absent: not installed; error: installed but failing. */
  smi: z.enum(["ok", "absent", "error"]),
  smiError: z.string().optional(),
  driverVersion: z.string().optional(),
  /** Highest CUDA version the driver supports, e.g. "12.2". */
  cudaVersion: z.string().optional(),
  gpus: z.array(gpuSchema).default([]),
  /** nvidia-container-toolkit: version of nvidia-ctk / nvidia-container-cli when found. */
  toolkitVersion: z.string().optional(),
  toolkitPresent: z.boolean().default(false),
});

export const ascendFactsSchema = z.object({
  /** /dev/davinci<N> indices present on the host (not npu-smi card ids). */
  chips: z.array(z.number().int().nonnegative()).default([]),
  /** Chip model from npu-smi, e.g. "310", "310P3", "910B". */
  chipName: z.string().optional(),
  driverVersion: z.string().optional(),
  npuSmi: z.enum(["ok", "absent", "error"]).default("absent"),
});

export const portUseSchema = z.object({
  port: z.number().int(),
  /** Who holds it, when it can be told. */
  by: z.enum(["modelbox-dev", "container", "host", "unknown"]),
  detail: z.string().optional(),
});

export const firewallFactsSchema = z.object({
  /** unknown: not readable from here (a remote engine's host). */
  tool: z.enum(["none", "unknown", "iptables", "nftables", "ufw", "firewalld"]),
  active: z.boolean(),
  /** Wanted host ports that a rule would drop inbound. */
  blockedPorts: z.array(z.number().int()).default([]),
  detail: z.string().optional(),
});

/** A running environment's GPUs and Ascend chips (what `--gpus free` and `doctor` look at). */
export const acceleratorsInUseSchema = z.object({
  environment: z.string(),
  /** Who made it (its owner label), when recorded. */
  owner: z.string().optional(),
  /** GPU ids as the engine has them (an index or a UUID); "all": every GPU. */
  gpus: z.array(z.string()).default([]),
  /** /dev/davinci<N> indices. */
  npuChips: z.array(z.number().int().nonnegative()).default([]),
});

/** Where the facts come from when the engine runs on another machine. */
export const remoteOriginSchema = z.object({
  /** The engine's machine, as reached from here. */
  host: z.string(),
  /** How host-level facts were read there: a short-lived probe container, or not at all. */
  probe: z.enum(["container", "none"]),
  /** The image the probe ran in (one the engine already had). */
  image: z.string().optional(),
  /** What could not be known from here, in words (e.g. the firewall). */
  unknown: z.array(z.string()).default([]),
});

export const hostFactsSchema = z.object({
  engine: engineFactsSchema,
  nvidia: nvidiaFactsSchema.optional(),
  ascend: ascendFactsSchema.optional(),
  /** Host TCP ports known to be in use. */
  portsInUse: z.array(portUseSchema).default([]),
  firewall: firewallFactsSchema.optional(),
  /** GPUs and chips that running environments hold. */
  acceleratorsInUse: z.array(acceleratorsInUseSchema).optional(),
  /** Mount sources asked about, on the engine's host: whether each exists there. */
  paths: z.record(z.string(), z.boolean()).optional(),
  /** Set when the engine is remote: facts describe its host, read as this says. */
  remote: remoteOriginSchema.optional(),
});

export type EngineFacts = z.infer<typeof engineFactsSchema>;
export type EngineConnectionFacts = z.infer<typeof engineConnectionSchema>;
export type NvidiaFacts = z.infer<typeof nvidiaFactsSchema>;
export type GpuInfo = z.infer<typeof gpuSchema>;
export type AscendFacts = z.infer<typeof ascendFactsSchema>;
export type PortUse = z.infer<typeof portUseSchema>;
export type FirewallFacts = z.infer<typeof firewallFactsSchema>;
export type AcceleratorsInUse = z.infer<typeof acceleratorsInUseSchema>;
export type HostFacts = z.infer<typeof hostFactsSchema>;
export type RemoteOrigin = z.infer<typeof remoteOriginSchema>;
/** What a facts file may leave out (defaults fill it in). */
export type HostFactsInput = z.input<typeof hostFactsSchema>;
