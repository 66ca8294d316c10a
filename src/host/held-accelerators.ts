import type { ContainerDetails } from "../engine/types.js";
import { LABELS } from "../labels.js";
import type { AcceleratorsInUse, GpuInfo } from "./facts.js";

/**
 * Which GPUs and Ascend chips a container holds, read from what the engine reports for it:
 * its device requests (`--gpus`), the NVIDIA runtime's NVIDIA_VISIBLE_DEVICES, its /dev/davinci<N>
 * devices, or the Ascend runtime's ASCEND_VISIBLE_DEVICES. GPU ids stay as the engine has them
 * (an index or a UUID); "all" stands for every GPU.
 */
export function heldAccelerators(c: ContainerDetails): { gpus: string[]; npuChips: number[] } {
  const runtime = typeof c.hostConfig.Runtime === "string" ? c.hostConfig.Runtime : "";
  const gpus = [...gpusOfDeviceRequests(c.hostConfig.DeviceRequests)];
  if (runtime === "nvidia") gpus.push(...visibleDevices(c.env.NVIDIA_VISIBLE_DEVICES));
  const chips = new Set(davinciDevices(c.hostConfig.Devices));
  if (runtime === "ascend") {
    for (const chip of chipList(c.env.ASCEND_VISIBLE_DEVICES ?? "")) chips.add(chip);
  }
  return {
    gpus: gpus.includes("all") ? ["all"] : [...new Set(gpus)],
    npuChips: [...chips].sort((a, b) => a - b),
  };
}

/** The facts' entry for one running environment (the owner from its label). */
export function acceleratorsInUseBy(c: ContainerDetails): AcceleratorsInUse | undefined {
  return acceleratorsInUseOf(c, heldAccelerators(c));
}

/** The same, from what it holds as already known (kept from an earlier inspection). */
export function acceleratorsInUseOf(
  c: Pick<ContainerDetails, "name" | "labels">,
  held: { gpus: string[]; npuChips: number[] },
): AcceleratorsInUse | undefined {
  if (held.gpus.length === 0 && held.npuChips.length === 0) return undefined;
  const owner = c.labels[LABELS.owner];
  return { environment: c.name, ...(owner ? { owner } : {}), ...held };
}

interface DeviceRequest {
  Driver?: string;
  Count?: number;
  DeviceIDs?: string[] | null;
  Capabilities?: string[][] | null;
}

/** `--gpus all` is Count -1; `--gpus 2` is Count 2 (the first two); `--gpus '"device=0,1"'` ids. */
function gpusOfDeviceRequests(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const request of value as DeviceRequest[]) {
    const isGpu =
      request.Driver === "nvidia" || (request.Capabilities ?? []).some((c) => c.includes("gpu"));
    if (!isGpu) continue;
    const ids = request.DeviceIDs ?? [];
    if (ids.length > 0) out.push(...ids);
    else if (request.Count === -1) out.push("all");
    else for (let i = 0; i < (request.Count ?? 0); i++) out.push(String(i));
  }
  return out;
}

/** NVIDIA_VISIBLE_DEVICES: all, none / void / empty (no GPU), or a comma list of ids. */
function visibleDevices(value: string | undefined): string[] {
  const text = (value ?? "").trim();
  if (text === "" || text === "none" || text === "void") return [];
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function davinciDevices(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return (value as Array<{ PathOnHost?: string }>).flatMap((d) => {
    const m = /^\/dev\/davinci(\d+)$/.exec(d.PathOnHost ?? "");
    return m?.[1] ? [Number(m[1])] : [];
  });
}

/** "0-3,5" as ASCEND_VISIBLE_DEVICES writes it. */
function chipList(text: string): number[] {
  return text.split(",").flatMap((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m?.[1]) return [];
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    return to >= from && to - from <= 1024
      ? Array.from({ length: to - from + 1 }, (_, i) => from + i)
      : [];
  });
}

/** A GPU as an environment holds it: the id it was asked by, with index and UUID when known. */
export interface HeldGpu {
  id: string;
  index?: number;
  uuid?: string;
}

/** The host's GPUs an id list stands for ("all": every one; an index or a UUID: that one). */
export function resolveHeldGpus(ids: readonly string[], gpus: readonly GpuInfo[]): HeldGpu[] {
  if (ids.includes("all")) {
    return gpus.map((g) => ({ id: String(g.index), index: g.index, ...uuidOf(g) }));
  }
  return ids.map((id) => {
    const gpu = gpus.find((g) => String(g.index) === id || g.uuid === id);
    if (gpu) return { id, index: gpu.index, ...uuidOf(gpu) };
    if (/^\d+$/.test(id)) return { id, index: Number(id) };
    return { id, ...(/^(GPU|MIG)-/.test(id) ? { uuid: id } : {}) };
  });
}

const uuidOf = (g: GpuInfo) => (g.uuid ? { uuid: g.uuid } : {});
