import { ModelboxDevError } from "../errors.js";
import {
  IMAGE_ARCHES,
  IMAGE_KINDS,
  IMAGE_OSES,
  KNOWN_ENGINES,
  type ImageAccelerator,
  type ImageArch,
  type ImageKind,
  type ImageOs,
} from "./modelbox-name.js";
import type { PublishedImage } from "./published-images.js";

/** "ascend" is CANN; "cpu" is the CUDA images, which start and run CPU flowunits without a GPU. */
export type AcceleratorFilter = "cuda" | "ascend" | "cann" | "cpu";
export const ACCELERATOR_FILTERS: readonly AcceleratorFilter[] = ["cuda", "ascend", "cann", "cpu"];

export interface ImageFilter {
  engine?: string;
  accel?: string;
  os?: string;
  arch?: string;
  kind?: string;
  /** Also list superseded releases (current: false). */
  includeOld?: boolean;
}

/** A filter whose values have been checked and spelled the catalogue's way. */
export interface ResolvedImageFilter {
  engine?: string;
  accel?: ImageAccelerator;
  os?: ImageOs;
  arch?: ImageArch;
  kind?: ImageKind;
  includeOld: boolean;
}

// Spellings users reach for: the seed says "LibTorch (PyTorch)", Docker says amd64/arm64.
const ENGINE_ALIASES: Readonly<Record<string, string>> = { pytorch: "libtorch", torch: "libtorch" };
const ARCH_ALIASES: Readonly<Record<string, ImageArch>> = { amd64: "x86_64", arm64: "aarch64" };

export function resolveImageFilter(
  filter: ImageFilter,
  entries: readonly PublishedImage[],
): ResolvedImageFilter {
  const resolved: ResolvedImageFilter = { includeOld: filter.includeOld ?? false };
  const engine = clean(filter.engine);
  if (engine !== undefined) {
    const engines = [...new Set([...KNOWN_ENGINES, ...entries.map((entry) => entry.engine)])];
    resolved.engine = pick(
      "engine",
      ENGINE_ALIASES[engine] ?? engine,
      engines,
      " (pytorch means libtorch.)",
    );
  }
  const accel = clean(filter.accel);
  if (accel !== undefined) {
    const chosen = pick("accelerator", accel, ACCELERATOR_FILTERS);
    resolved.accel = chosen === "cuda" || chosen === "cpu" ? "cuda" : "cann";
  }
  const os = clean(filter.os);
  if (os !== undefined) resolved.os = pick("OS", os, IMAGE_OSES);
  const arch = clean(filter.arch);
  if (arch !== undefined) resolved.arch = pick("arch", ARCH_ALIASES[arch] ?? arch, IMAGE_ARCHES);
  const kind = clean(filter.kind);
  if (kind !== undefined) resolved.kind = pick("kind", kind, IMAGE_KINDS);
  return resolved;
}

/** Catalogue entries matching every given criterion, in catalogue order. */
export function filterImages(
  entries: readonly PublishedImage[],
  filter: ImageFilter = {},
): PublishedImage[] {
  const wanted = resolveImageFilter(filter, entries);
  return entries.filter(
    (entry) =>
      (wanted.includeOld || entry.current) &&
      (wanted.engine === undefined || entry.engine === wanted.engine) &&
      (wanted.accel === undefined || entry.accel === wanted.accel) &&
      (wanted.os === undefined || entry.os === wanted.os) &&
      (wanted.arch === undefined || entry.arch === wanted.arch) &&
      (wanted.kind === undefined || entry.kind === wanted.kind),
  );
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim().toLowerCase();
  return trimmed === "" ? undefined : trimmed;
}

function pick<T extends string>(what: string, value: string, allowed: readonly T[], note = ""): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found !== undefined) return found;
  throw new ModelboxDevError(
    "INVALID_OPTION",
    `Unknown ${what} "${value}".`,
    `Valid ${what} values: ${allowed.join(", ")}.${note}`,
  );
}
