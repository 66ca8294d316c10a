import { compareVersions } from "../catalog/version.js";
import { ModelboxDevError } from "../errors.js";
import { parseWholeNumber } from "../input-text.js";
import type { GpuInfo, HostFacts } from "../host/facts.js";
import type { GpuPlan, PlanWarning } from "./types.js";

/** Engine API 1.40 (Docker 19.03) introduced device requests, i.e. `--gpus`. */
const DEVICE_REQUEST_API = "1.40";
/**
 * Podman's Docker-compatible API ignores Docker's device requests; from 5.5 on it honours those
 * with driver "cdi", whose device IDs are CDI names (nvidia.com/gpu=all).
 */
export const PODMAN_CDI_REQUESTS = "5.5";
export const CDI_GPU_KIND = "nvidia.com/gpu";

/** The CDI names of the GPUs asked for: nvidia.com/gpu=all, or one per index or UUID. */
export function cdiGpuNames(devices: "all" | string[]): string[] {
  return (devices === "all" ? ["all"] : devices).map((d) => `${CDI_GPU_KIND}=${d}`);
}

/** What Podman needs besides a working driver: an API that takes CDI requests, and a CDI spec. */
function podmanGpuUnavailable(facts: HostFacts): { reason: string; hint: string } | undefined {
  const version = facts.engine.serverVersion;
  if (compareVersions(version, PODMAN_CDI_REQUESTS) < 0) {
    return {
      reason: `Podman ${version}'s Docker-compatible API cannot hand GPUs to a container (it takes CDI device requests from Podman ${PODMAN_CDI_REQUESTS} on)`,
      hint: `Upgrade Podman to ${PODMAN_CDI_REQUESTS} or newer (older ones take GPUs only from the podman command line: 'podman run --device ${CDI_GPU_KIND}=all …'), or run without GPUs: --gpus none.`,
    };
  }
  if (!facts.nvidia?.toolkitPresent) {
    return {
      reason: "nvidia-container-toolkit is not installed, so there is no CDI spec for the GPUs",
      hint: "Install nvidia-container-toolkit and generate the CDI spec: 'sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml'.",
    };
  }
  return undefined;
}

export interface GpuDecision {
  gpu: GpuPlan;
  warnings: PlanWarning[];
  notes: string[];
}

/** Why this host cannot hand GPUs to a container, or undefined when it can. */
export function gpuUnavailableReason(
  facts: HostFacts,
): { reason: string; hint: string } | undefined {
  const nvidia = facts.nvidia;
  const engine = facts.engine;
  if (!nvidia || nvidia.smi === "absent") {
    return {
      reason: "no NVIDIA GPU was found (nvidia-smi is not installed)",
      hint: "Install the NVIDIA driver, or run without GPUs: --gpus none.",
    };
  }
  if (nvidia.smi === "error") {
    return {
      reason: `nvidia-smi fails${nvidia.smiError ? `: ${nvidia.smiError}` : ""}`,
      hint: "The NVIDIA driver is installed but not working: reboot or reload the kernel module, or run with --gpus none.",
    };
  }
  if (nvidia.gpus.length === 0) {
    return { reason: "nvidia-smi lists no GPU", hint: "Run with --gpus none." };
  }
  if (engine.kind === "podman") return podmanGpuUnavailable(facts);
  const hasRuntime = engine.runtimes.includes("nvidia");
  const apiSupportsGpus = compareVersions(engine.apiVersion, DEVICE_REQUEST_API) >= 0;
  if (!apiSupportsGpus && !hasRuntime) {
    return {
      reason: `Docker ${engine.serverVersion} (API ${engine.apiVersion}) predates --gpus and has no 'nvidia' runtime registered`,
      hint: "Install nvidia-docker2 and restart Docker (engines older than 19.03 need --runtime=nvidia), or upgrade Docker to 19.03 or newer with nvidia-container-toolkit.",
    };
  }
  if (apiSupportsGpus && !nvidia.toolkitPresent && !hasRuntime) {
    return {
      reason:
        "nvidia-container-toolkit is not installed, so the engine cannot hand GPUs to containers",
      hint: "Install nvidia-container-toolkit, then restart Docker ('sudo systemctl restart docker').",
    };
  }
  return undefined;
}

/** `free` or `free:N`: every free GPU, or N of them. */
const FREE = /^free(?::(\d+))?$/;

/** Who holds which of the host's GPU indices, other than the environment `self` (made again). */
function holders(facts: HostFacts, self: string | undefined): Map<number, string[]> {
  const gpus = facts.nvidia?.gpus ?? [];
  const out = new Map<number, string[]>();
  for (const held of facts.acceleratorsInUse ?? []) {
    if (held.environment === self) continue;
    const who = held.owner ? `${held.environment} (${held.owner})` : held.environment;
    const holds = (g: GpuInfo) =>
      held.gpus.includes("all") ||
      held.gpus.includes(String(g.index)) ||
      (g.uuid !== undefined && held.gpus.includes(g.uuid));
    const indices = gpus.filter(holds).map((g) => g.index);
    for (const index of indices) out.set(index, [...(out.get(index) ?? []), who]);
  }
  return out;
}

/** The GPUs no running environment holds (`--gpus free[:N]`), lowest index first. */
function resolveFree(count: number | undefined, facts: HostFacts, self: string | undefined) {
  const held = holders(facts, self);
  const free = (facts.nvidia?.gpus ?? [])
    .map((g) => g.index)
    .filter((i) => !held.has(i))
    .sort((a, b) => a - b);
  const wanted = count ?? Math.max(free.length, 1);
  if (count === 0) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--gpus free:0 asks for no GPU.",
      "Use --gpus none, or free:N with N of 1 or more.",
    );
  }
  if (free.length < wanted) {
    const taken = [...held.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, who]) => `${index} held by ${who.join(", ")}`);
    throw new ModelboxDevError(
      "GPU_UNAVAILABLE",
      `${count === undefined ? "No GPU is free" : `Only ${free.length} GPU${free.length === 1 ? " is" : "s are"} free, ${count} asked for`}: ${taken.join("; ")}.`,
      "See who holds them with 'modelbox-dev ls --all', or share one on purpose with --gpus <index or UUID>.",
    );
  }
  const devices = free.slice(0, wanted).map(String);
  return {
    devices,
    heldNote: held.size
      ? ` (${[...held.keys()].sort((a, b) => a - b).join(",")} held by other environments)`
      : "",
  };
}

/** The most GPUs a host has (an index beyond is a typo, and never rounds). */
const MAX_GPUS = 1024;
/** nvidia-smi's identifiers: GPU-<uuid>, and MIG-<uuid> or MIG-GPU-<uuid>/<gi>/<ci>. */
const GPU_UUID = /^(?:GPU|MIG)-[0-9A-Za-z][0-9A-Za-z./-]*$/;

const LIST_HINT =
  "Use auto, all, none, free, free:N, or a comma-separated list of GPU indices or UUIDs, each once, e.g. --gpus 0,1 or --gpus GPU-5f1c… (nvidia-smi -L lists them).";

/** The list as written, checked for its form alone: "0,,1", "abc", "-1" and "0,0" are refused. */
export function parseGpuList(request: string): string[] {
  const bad = (why: string) =>
    new ModelboxDevError("INVALID_OPTION", `--gpus ${JSON.stringify(request)}: ${why}.`, LIST_HINT);
  const ids: string[] = [];
  for (const part of request.split(",")) {
    const id = part.trim();
    if (id === "") throw bad("an entry is empty");
    if (/^\d+$/.test(id)) {
      const index = id.length <= 4 ? Number(id) : NaN;
      if (!(index < MAX_GPUS)) throw bad(`${id} is not a GPU index (0 to ${MAX_GPUS - 1})`);
      ids.push(String(index));
    } else if (GPU_UUID.test(id)) ids.push(id);
    else throw bad(`${JSON.stringify(id)} is not a GPU index or UUID`);
  }
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw bad(`GPU ${twice} is named more than once`);
  return ids;
}

function describeGpus(gpus: readonly GpuInfo[]): string {
  return (
    gpus.map((g) => `${g.index} (${g.name}${g.uuid ? `, ${g.uuid}` : ""})`).join(", ") || "none"
  );
}

function resolveDeviceList(request: string, facts: HostFacts): string[] {
  const gpus = facts.nvidia?.gpus ?? [];
  const ids = parseGpuList(request);
  const indices = new Map<string, number>();
  for (const id of ids) {
    const gpu = gpus.find((g) => String(g.index) === id || g.uuid === id);
    if (!gpu) {
      throw new ModelboxDevError(
        "GPU_UNAVAILABLE",
        /^\d+$/.test(id)
          ? `GPU ${id} is not on this host: it has ${gpus.length} GPU${gpus.length === 1 ? "" : "s"}${gpus.length ? ` (indices 0 to ${gpus.length - 1})` : ""}.`
          : `GPU ${JSON.stringify(id)} is not on this host: no GPU has that UUID.`,
        `This host has: ${describeGpus(gpus)}. Use --gpus all, free, or indices or UUIDs from that list.`,
      );
    }
    const earlier = [...indices].find(([, index]) => index === gpu.index)?.[0];
    if (earlier !== undefined) {
      throw new ModelboxDevError(
        "INVALID_OPTION",
        `--gpus ${JSON.stringify(request)} names GPU ${gpu.index} twice (${earlier} and ${id}).`,
        LIST_HINT,
      );
    }
    indices.set(id, gpu.index);
  }
  return ids;
}

/**
 * --gpus auto|all|none|<list>. auto gives every GPU when the engine can hand them over and falls
 * back to none with a warning; an explicit request on a host that cannot is an error before
 * anything is created (otherwise Docker answers 'could not select device driver').
 */
export function planGpu(
  request: string | undefined,
  facts: HostFacts,
  imageAccel: "cuda" | "cann" | undefined,
  /** The environment being planned: the GPUs it holds itself count as free to it. */
  self?: string,
): GpuDecision {
  const raw = (request ?? "auto").trim();
  const keyword = raw.toLowerCase();
  const mode = ["auto", "all", "none"].includes(keyword) || FREE.test(keyword) ? keyword : raw;
  const warnings: PlanWarning[] = [];
  const notes: string[] = [];
  if (mode === "none") {
    if (imageAccel === "cuda") {
      notes.push("GPUs not requested (--gpus none): only CPU flowunits will run.");
    }
    return { gpu: { mode: "none" }, warnings, notes };
  }
  if (mode === "") {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--gpus is empty.",
      "Use auto, all, none, free, or a list of indices or UUIDs such as 0,1.",
    );
  }
  // A list written wrong is said as such, before whether the host has GPUs at all.
  const isList = !["auto", "all"].includes(mode) && !FREE.test(mode);
  if (isList) parseGpuList(mode);
  const unavailable = gpuUnavailableReason(facts);
  if (mode === "auto") {
    // Ascend images have no use for NVIDIA GPUs: stay quiet there.
    if (imageAccel === "cann") return { gpu: { mode: "none" }, warnings, notes };
    if (unavailable) {
      warnings.push({
        code: "NO_GPU",
        message: `Starting without GPUs: ${unavailable.reason}. Only CPU flowunits will run.`,
      });
      return { gpu: { mode: "none" }, warnings, notes };
    }
  } else if (unavailable) {
    throw new ModelboxDevError(
      "GPU_UNAVAILABLE",
      `--gpus ${mode} was asked for, but ${unavailable.reason}.`,
      unavailable.hint,
    );
  }
  const free = FREE.exec(mode);
  const chosenFree = free
    ? resolveFree(
        free[1] === undefined
          ? undefined
          : parseWholeNumber(free[1], "--gpus free:N, N", {
              min: 0,
              max: MAX_GPUS,
              example: "--gpus free:2",
            }),
        facts,
        self,
      )
    : undefined;
  const devices =
    mode === "auto" || mode === "all"
      ? "all"
      : (chosenFree?.devices ?? resolveDeviceList(mode, facts));
  if (chosenFree) notes.push(`Free GPUs: ${chosenFree.devices.join(",")}${chosenFree.heldNote}.`);
  const count = devices === "all" ? (facts.nvidia?.gpus.length ?? 0) : devices.length;
  if (facts.engine.kind === "podman") {
    notes.push(
      `GPUs: ${devices === "all" ? `all ${count}` : devices.join(",")} through CDI (${cdiGpuNames(devices).join(", ")}; Podman ${facts.engine.serverVersion}).`,
    );
    return { gpu: { mode: "cdi", devices }, warnings, notes };
  }
  const apiSupportsGpus = compareVersions(facts.engine.apiVersion, DEVICE_REQUEST_API) >= 0;
  if (apiSupportsGpus) {
    notes.push(
      `GPUs: ${devices === "all" ? `all ${count}` : devices.join(",")} via --gpus (engine API ${facts.engine.apiVersion}).`,
    );
    return { gpu: { mode: "device-request", devices }, warnings, notes };
  }
  notes.push(
    `GPUs: ${devices === "all" ? `all ${count}` : devices.join(",")} via --runtime=nvidia (Docker ${facts.engine.serverVersion} predates --gpus).`,
  );
  return { gpu: { mode: "nvidia-runtime", devices }, warnings, notes };
}
