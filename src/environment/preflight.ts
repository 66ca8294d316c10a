import { compareVersions } from "../catalog/version.js";
import { cudaRequirementFor } from "../catalog/published-images.js";
import { ModelboxDevError } from "../errors.js";
import type { ContainerDetails, ContainerEngine, ImageDetails } from "../engine/types.js";
import { DISK_REFUSE_BYTES, DISK_WARN_BYTES, GiB } from "../host/disk-needs.js";
import type { HostFacts } from "../host/facts.js";
import { normalizeArch } from "../host/parse-docker-info.js";
import { LABELS } from "../labels.js";
import type { Plan, PlanWarning } from "../plan/types.js";

/** Before a pull: refuse when the engine's data root cannot hold a ModelBox image. */
export function preflightDisk(facts: HostFacts): PlanWarning[] {
  const free = facts.engine.dataRootFreeBytes;
  if (free === undefined) return [];
  const where = facts.engine.dataRoot ?? "the engine's data root";
  const gib = (free / GiB).toFixed(1);
  if (free < DISK_REFUSE_BYTES) {
    throw new ModelboxDevError(
      "DISK_FULL",
      `Only ${gib} GiB free in ${where}; a ModelBox image needs 5-20 GB.`,
      "Free space ('docker system prune' removes unused images and containers), then try again.",
    );
  }
  if (free < DISK_WARN_BYTES) {
    return [
      {
        code: "LOW_DISK",
        message: `Only ${gib} GiB free in ${where}; large ModelBox images need up to 20 GB.`,
      },
    ];
  }
  return [];
}

interface Condition {
  key: string;
  op: string;
  value: string;
}

/**
 * NVIDIA_REQUIRE_CUDA as nvidia-container-toolkit reads it: space-separated alternatives, each a
 * comma-separated list of conditions that must all hold ("cuda>=11.2 brand=tesla,driver>=418,...").
 */
export function parseCudaRequirement(text: string): Condition[][] {
  return text
    .trim()
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .map((alt) =>
      alt.split(",").flatMap((c) => {
        const m = /^([a-z]+)\s*(>=|<=|==|=|>|<)\s*(.+)$/.exec(c.trim());
        return m?.[1] && m[2] && m[3] ? [{ key: m[1], op: m[2], value: m[3] }] : [];
      }),
    );
}

type Truth = boolean | undefined;

function compare(actual: string, op: string, wanted: string): boolean {
  const c = compareVersions(actual, wanted);
  return op === ">="
    ? c >= 0
    : op === "<="
      ? c <= 0
      : op === ">"
        ? c > 0
        : op === "<"
          ? c < 0
          : c === 0;
}

function holds(cond: Condition, facts: HostFacts): Truth {
  const nvidia = facts.nvidia;
  switch (cond.key) {
    case "cuda":
      return nvidia?.cudaVersion ? compare(nvidia.cudaVersion, cond.op, cond.value) : undefined;
    case "driver":
      return nvidia?.driverVersion ? compare(nvidia.driverVersion, cond.op, cond.value) : undefined;
    case "arch":
      return normalizeArch(cond.value) === facts.engine.arch;
    case "brand": {
      const names = nvidia?.gpus.map((g) => g.name.toLowerCase()) ?? [];
      if (names.length === 0) return undefined;
      return names.some((n) => n.includes(cond.value.toLowerCase()));
    }
    default:
      return undefined;
  }
}

/** true: satisfied; false: not; undefined: cannot tell from the facts. */
export function cudaRequirementHolds(requirement: string, facts: HostFacts): Truth {
  let unknown = false;
  for (const alternative of parseCudaRequirement(requirement)) {
    const results = alternative.map((c) => holds(c, facts));
    if (results.every((r) => r === true)) return true;
    if (!results.includes(false)) unknown = true;
  }
  return unknown ? undefined : false;
}

/**
 * With the image in hand, before create: the image's architecture must be the host's, and with
 * GPUs the driver must meet the image's NVIDIA_REQUIRE_CUDA (R13); otherwise the container fails
 * to start with an nvidia-container-cli error.
 */
export function preflightImage(plan: Plan, image: ImageDetails, facts: HostFacts): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (image.architecture) {
    const imageArch = normalizeArch(image.architecture);
    if (imageArch !== facts.engine.arch) {
      throw new ModelboxDevError(
        "ARCH_MISMATCH",
        `Image ${plan.image} is built for ${imageArch}; this host is ${facts.engine.arch}.`,
        `Use the ${facts.engine.arch} image of the same name ('modelbox-dev images --arch ${facts.engine.arch}'), or leave out --image to get the one that fits.`,
      );
    }
  }
  warnings.push(...versionMismatch(plan.image, image));
  const requirement = image.env.NVIDIA_REQUIRE_CUDA;
  if (plan.gpu.mode === "none" || !requirement || image.env.NVIDIA_DISABLE_REQUIRE) return warnings;
  const verdict = cudaRequirementHolds(requirement, facts);
  if (verdict === false) {
    const wanted = /cuda>=([\d.]+)/.exec(requirement)?.[1];
    const min = wanted
      ? cudaRequirementFor(wanted.split(".").slice(0, 2).join("."))?.minDriver
      : undefined;
    throw new ModelboxDevError(
      "CUDA_REQUIREMENT",
      `The image needs CUDA ${wanted ?? "(see NVIDIA_REQUIRE_CUDA)"}, but the NVIDIA driver ${facts.nvidia?.driverVersion ?? "?"} supports CUDA ${facts.nvidia?.cudaVersion ?? "?"}.`,
      `Update the NVIDIA driver${min ? ` to ${min} or newer` : ""}, pick an image for an older CUDA (e.g. --engine libtorch for CUDA 10.2), or run without GPUs (--gpus none).`,
      { details: [`  NVIDIA_REQUIRE_CUDA=${requirement}`] },
    );
  }
  if (verdict === undefined) {
    warnings.push({
      code: "CUDA_UNKNOWN",
      message: `Could not check the image's CUDA requirement (${requirement.split(/\s+/)[0]}) against this driver; if the container fails to start, update the NVIDIA driver.`,
    });
  }
  return warnings;
}

/**
 * R9: a release tag asked for (e.g. `:v1.5.3`, or --version) that the image's own version label
 * contradicts: the tag was moved, or a mirror serves something else.
 */
export function versionMismatch(reference: string, image: ImageDetails): PlanWarning[] {
  const tag = /:([\w][\w.-]*)$/.exec(reference.split("@")[0] ?? "")?.[1];
  const label = image.labels["org.opencontainers.image.version"];
  if (!tag || !label || !/^v?\d/.test(tag)) return [];
  if (tag.replace(/^v/, "") === label.replace(/^v/, "")) return [];
  return [
    {
      code: "VERSION_MISMATCH",
      message: `You asked for ${tag}, but the image says it is version ${label}: check the tag (or the mirror that served it).`,
    },
  ];
}

/** R9: the environment runs an older image than the one its tag names now. */
export async function imageDrift(
  engine: ContainerEngine,
  container: ContainerDetails,
  image: string,
): Promise<PlanWarning[]> {
  const current = await engine.inspectImage(image);
  const runs = container.labels[LABELS.imageId] ?? container.imageId;
  if (!current || current.id === runs) return [];
  return [
    {
      code: "IMAGE_CHANGED",
      message: `${container.name} runs image ${runs.slice(0, 19)}, but ${image} now points to ${current.id.slice(0, 19)}: use --recreate to move to it (/home and /opt/modelbox stay).`,
    },
  ];
}
