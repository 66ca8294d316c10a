import { ModelboxDevError } from "../errors.js";
import { parseImageReference, type ImageReference } from "./image-reference.js";

export type ImageKind = "develop" | "runtime";
export type ImageAccelerator = "cuda" | "cann";
export type ImageOs = "ubuntu" | "openeuler";
export type ImageArch = "x86_64" | "aarch64";

export const IMAGE_KINDS: readonly ImageKind[] = ["develop", "runtime"];
export const IMAGE_ACCELERATORS: readonly ImageAccelerator[] = ["cuda", "cann"];
export const IMAGE_OSES: readonly ImageOs[] = ["ubuntu", "openeuler"];
export const IMAGE_ARCHES: readonly ImageArch[] = ["x86_64", "aarch64"];
/** Engines ModelBox publishes images for; the grammar itself accepts any lowercase word. */
export const KNOWN_ENGINES = ["tensorflow", "libtorch", "tensorrt", "mindspore"] as const;

/**
 * The parts of `modelbox-{develop|runtime}-<engine>_<ver>-<accel>_<ver>[-d310p]-<os>-<arch>`.
 * `engine` is any `[a-z]+` word, not only KNOWN_ENGINES: images built from ModelBox's
 * Dockerfiles for another engine (on a mirror, or a later release) still tell us their
 * accelerator, OS and arch, which is what host checks need.
 */
export interface ModelboxImageName {
  kind: ImageKind;
  engine: string;
  engineVersion: string;
  accel: ImageAccelerator;
  accelVersion: string;
  /** Built for Ascend 310P (only with cann). */
  d310p: boolean;
  os: ImageOs;
  arch: ImageArch;
}

const GRAMMAR =
  "modelbox-{develop|runtime}-<engine>_<ver>-<cuda|cann>_<ver>[-d310p]-<ubuntu|openeuler>-<x86_64|aarch64>";
const EXAMPLE = "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
// Versions have no "-" (it separates the parts); lowercase letters allow CANN's "6.3.rc1".
const VERSION = "\\d+(?:\\.[0-9a-z]+)*";
const WORD_VERSION = new RegExp(`^([a-z]+)_(${VERSION})$`);

type NameCheck = { ok: true; name: ModelboxImageName } | { ok: false; problem: string };

function checkModelboxName(text: string): NameCheck {
  const bad = (problem: string): NameCheck => ({ ok: false, problem });
  const parts = text.split("-");
  if (parts[0] !== "modelbox") return bad('it does not start with "modelbox-"');
  if (parts.length !== 6 && parts.length !== 7) {
    return bad(`it has ${parts.length} dash-separated parts; the grammar has 6, or 7 with -d310p`);
  }
  const [, kind = "", enginePart = "", accelPart = ""] = parts;
  const d310p = parts.length === 7;
  const optional = d310p ? parts[4] : undefined;
  const os = parts[parts.length - 2] ?? "";
  const arch = parts[parts.length - 1] ?? "";

  if (!isOneOf(kind, IMAGE_KINDS)) return bad(`kind "${kind}" is not develop or runtime`);
  const engine = WORD_VERSION.exec(enginePart);
  if (!engine) {
    return bad(`engine part "${enginePart}" is not <engine>_<version> (e.g. tensorflow_2.6.0)`);
  }
  const accel = WORD_VERSION.exec(accelPart);
  if (!accel)
    return bad(`accelerator part "${accelPart}" is not <accel>_<version> (e.g. cuda_11.2)`);
  const accelName = accel[1] ?? "";
  if (!isOneOf(accelName, IMAGE_ACCELERATORS)) {
    return bad(`accelerator "${accelName}" is not cuda or cann`);
  }
  if (optional !== undefined && optional !== "d310p") {
    return bad(`"${optional}" stands where only "d310p" may`);
  }
  if (d310p && accelName !== "cann") return bad("-d310p applies only to cann images");
  if (!isOneOf(os, IMAGE_OSES)) return bad(`OS "${os}" is not ubuntu or openeuler`);
  if (!isOneOf(arch, IMAGE_ARCHES)) return bad(`arch "${arch}" is not x86_64 or aarch64`);

  return {
    ok: true,
    name: {
      kind,
      engine: engine[1] ?? "",
      engineVersion: engine[2] ?? "",
      accel: accelName,
      accelVersion: accel[2] ?? "",
      d310p,
      os,
      arch,
    },
  };
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

/** The name's parts, or undefined when the text does not follow ModelBox's grammar. */
export function parseModelboxName(text: string): ModelboxImageName | undefined {
  const check = checkModelboxName(text);
  return check.ok ? check.name : undefined;
}

/** Like parseModelboxName, but says which part is wrong (INVALID_IMAGE). */
export function requireModelboxName(text: string): ModelboxImageName {
  const check = checkModelboxName(text);
  if (check.ok) return check.name;
  throw new ModelboxDevError(
    "INVALID_IMAGE",
    `"${text}" is not a ModelBox image name: ${check.problem}.`,
    `ModelBox images are named ${GRAMMAR}, e.g. ${EXAMPLE}.`,
  );
}

export function formatModelboxName(name: ModelboxImageName): string {
  const d310p = name.d310p ? "-d310p" : "";
  return (
    `modelbox-${name.kind}-${name.engine}_${name.engineVersion}-` +
    `${name.accel}_${name.accelVersion}${d310p}-${name.os}-${name.arch}`
  );
}

export interface ImageDescription {
  reference: ImageReference;
  /** Present when the last path component follows ModelBox's grammar, whatever the namespace. */
  modelbox?: ModelboxImageName;
}

/** Parses a full reference (INVALID_IMAGE when malformed) and reads its ModelBox name, if any. */
export function describeImage(text: string): ImageDescription {
  const reference = parseImageReference(text);
  const last = reference.path.slice(reference.path.lastIndexOf("/") + 1);
  const modelbox = parseModelboxName(last);
  return modelbox === undefined ? { reference } : { reference, modelbox };
}
