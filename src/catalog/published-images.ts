import { parseImageReference } from "./image-reference.js";
import {
  IMAGE_KINDS,
  IMAGE_OSES,
  formatModelboxName,
  type ImageArch,
  type ModelboxImageName,
} from "./modelbox-name.js";

/** What a CUDA image asks of the host's NVIDIA driver (Linux, x86_64). */
export interface CudaRequirement {
  /** major.minor as in the image name, e.g. "11.2". */
  version: string;
  /** The image's `com.nvidia.cuda.verison` (sic) label, e.g. "11.2.2". */
  imageVersion: string;
  /** Oldest driver with full support for this CUDA release. */
  minDriver: string;
  /** Oldest driver that runs it through CUDA minor-version compatibility (CUDA 11.x only). */
  minDriverMinorCompat?: string;
}

/** Ascend chip family a CANN image is built for: plain cann → 310, `-d310p` → 310P. */
export type AscendChipFamily = "310" | "310P";

export interface PublishedImage extends ModelboxImageName {
  /** The ModelBox name, e.g. "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64". */
  name: string;
  /** Docker Hub repository, "modelbox/<name>" (each arch is its own repository). */
  repository: string;
  defaultTag: "latest";
  /** False for superseded releases kept for users who still need them. */
  current: boolean;
  /** Present on CUDA images. */
  cuda?: CudaRequirement;
  /** Present on CANN images. */
  ascendChip?: AscendChipFamily;
}

// NVIDIA's CUDA release notes (table 3). 11.2.1+ toolkits list 460.32.03, but a 460.27.03 driver
// reports CUDA 11.2 (what the image's NVIDIA_REQUIRE_CUDA checks) and minor-version
// compatibility covers the difference, so 460.27.03 is the practical floor.
const CUDA_REQUIREMENTS: Readonly<Record<string, CudaRequirement>> = {
  "10.2": { version: "10.2", imageVersion: "10.2.89", minDriver: "440.33" },
  "11.2": {
    version: "11.2",
    imageVersion: "11.2.2",
    minDriver: "460.27.03",
    minDriverMinorCompat: "450.80.02",
  },
};

/** The driver requirement for a CUDA major.minor, or undefined when we do not know it. */
export function cudaRequirementFor(version: string): CudaRequirement | undefined {
  return CUDA_REQUIREMENTS[version];
}

interface Stack {
  engine: string;
  engineVersion: string;
  accel: "cuda" | "cann";
  accelVersion: string;
  d310p: boolean;
  arches: readonly ImageArch[];
  current: boolean;
}

// Listed in ModelBox's own order; every stack is published as develop and runtime, on ubuntu and
// openeuler, for each arch listed.
const STACKS: readonly Stack[] = [
  cuda("tensorrt", "8.4.2", "11.2"),
  cuda("tensorflow", "2.6.0", "11.2"),
  cuda("tensorrt", "7.1.3", "10.2"),
  cuda("libtorch", "1.9.1", "10.2"),
  cann("mindspore", "1.9.0", "6.0.1", { d310p: false, current: true }),
  cann("mindspore", "1.9.0", "6.0.1", { d310p: true, current: true }),
  cann("mindspore", "1.6.1", "5.0.4", { d310p: false, current: false }),
];

function cuda(engine: string, engineVersion: string, accelVersion: string): Stack {
  return {
    engine,
    engineVersion,
    accel: "cuda",
    accelVersion,
    d310p: false,
    arches: ["x86_64"],
    current: true,
  };
}

function cann(
  engine: string,
  engineVersion: string,
  accelVersion: string,
  options: { d310p: boolean; current: boolean },
): Stack {
  return {
    engine,
    engineVersion,
    accel: "cann",
    accelVersion,
    arches: ["x86_64", "aarch64"],
    ...options,
  };
}

function toEntry(stack: Stack, parts: ModelboxImageName): PublishedImage {
  const name = formatModelboxName(parts);
  const entry: PublishedImage = {
    ...parts,
    name,
    repository: `modelbox/${name}`,
    defaultTag: "latest",
    current: stack.current,
  };
  if (parts.accel === "cuda") {
    const requirement = cudaRequirementFor(parts.accelVersion);
    if (requirement !== undefined) entry.cuda = requirement;
  } else {
    entry.ascendChip = parts.d310p ? "310P" : "310";
  }
  return Object.freeze(entry);
}

/** Every image ModelBox publishes on Docker Hub (see REQUIREMENTS.md, "Published matrix"). */
export const PUBLISHED_IMAGES: readonly PublishedImage[] = Object.freeze(
  STACKS.flatMap((stack) =>
    IMAGE_KINDS.flatMap((kind) =>
      IMAGE_OSES.flatMap((os) =>
        stack.arches.map((arch) =>
          toEntry(stack, {
            kind,
            engine: stack.engine,
            engineVersion: stack.engineVersion,
            accel: stack.accel,
            accelVersion: stack.accelVersion,
            d310p: stack.d310p,
            os,
            arch,
          }),
        ),
      ),
    ),
  ),
);

/**
 * The catalogue entry an image name or reference stands for, whatever its registry or namespace
 * (a mirror keeps the name). Undefined for images ModelBox does not publish, or malformed text.
 */
export function findPublishedImage(
  text: string,
  entries: readonly PublishedImage[] = PUBLISHED_IMAGES,
): PublishedImage | undefined {
  let last: string;
  try {
    const path = parseImageReference(text).path;
    last = path.slice(path.lastIndexOf("/") + 1);
  } catch {
    return undefined;
  }
  return entries.find((entry) => entry.name === last);
}
