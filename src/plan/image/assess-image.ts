import type { HostFacts } from "../../host/facts.js";
import { ascendChipModel, ascendFamily, hostArch, nvidiaState } from "./host-accelerators.js";
import { cudaRequirementFor, type PublishedImage } from "../../catalog/published-images.js";
import { isVersionAtLeast } from "../../catalog/version.js";

/** Why an image cannot run here; choose-image turns these into hints. */
export type ImageBlocker = "arch" | "driver" | "no-ascend" | "ascend-chip" | "cpu-only";

export type HostAssessment =
  | { usable: true; reason: string; warnings: string[]; runsOn: "gpu" | "npu" | "cpu" }
  | { usable: false; reason: string; warnings: string[]; blocker: ImageBlocker };

export interface AssessOptions {
  /** The user asked to run without an accelerator: skip GPU checks, CUDA images only. */
  cpuOnly?: boolean;
}

export const CPU_ONLY_WARNING =
  "No accelerator will be used: only CPU flowunits will run in this container.";

/** Whether `entry` can run on the host `facts` describe, and how (GPU, NPU or CPU). */
export function assessImageForHost(
  entry: PublishedImage,
  facts: HostFacts,
  options: AssessOptions = {},
): HostAssessment {
  const arch = hostArch(facts);
  if (entry.arch !== arch) {
    return blocked("arch", `the image is built for ${entry.arch}; this host is ${arch}`);
  }
  const cpuOnly = options.cpuOnly ?? false;
  return entry.accel === "cuda"
    ? assessCuda(entry, facts, cpuOnly)
    : assessCann(entry, facts, cpuOnly);
}

function assessCuda(entry: PublishedImage, facts: HostFacts, cpuOnly: boolean): HostAssessment {
  const cuda = `CUDA ${entry.accelVersion}`;
  if (cpuOnly) return usable("cpu", `runs on the CPU; ${cuda} stays unused`, [CPU_ONLY_WARNING]);

  const nvidia = nvidiaState(facts);
  if (nvidia.state === "none") {
    return usable("cpu", `no NVIDIA GPU found, so the ${cuda} image runs on the CPU`, [
      CPU_ONLY_WARNING,
    ]);
  }
  if (nvidia.state === "broken") {
    return usable("cpu", `nvidia-smi fails, so the ${cuda} image runs on the CPU`, [
      `nvidia-smi failed (${nvidia.error}); the GPU stays unused until the NVIDIA driver works.`,
      CPU_ONLY_WARNING,
    ]);
  }

  const requirement = entry.cuda ?? cudaRequirementFor(entry.accelVersion);
  const driver = nvidia.driverVersion;
  if (requirement === undefined || driver === undefined) {
    const unknown =
      driver === undefined ? "the NVIDIA driver version" : `the minimum driver for ${cuda}`;
    return usable("gpu", `NVIDIA GPU found; ${unknown} is unknown`, [
      `Could not check the NVIDIA driver against ${cuda} because ${unknown} is unknown; ` +
        `if the container fails to start, compare the driver with ${cuda}'s minimum.`,
    ]);
  }
  const { minDriver, minDriverMinorCompat: compat } = requirement;
  if (isVersionAtLeast(driver, minDriver)) {
    return usable("gpu", `NVIDIA driver ${driver} supports ${cuda} (needs >= ${minDriver})`);
  }
  if (compat !== undefined && isVersionAtLeast(driver, compat)) {
    return usable(
      "gpu",
      `NVIDIA driver ${driver} runs ${cuda} through minor-version compatibility (>= ${compat})`,
      [
        `NVIDIA driver ${driver} is older than ${minDriver}, which ${cuda} needs for full support: ` +
          "it runs through CUDA minor-version compatibility, where PTX JIT compilation of newer " +
          `kernels fails. Upgrade the driver to ${minDriver} or later.`,
      ],
    );
  }
  const orCompat = compat === undefined ? "" : `, or >= ${compat} with minor-version compatibility`;
  return blocked(
    "driver",
    `NVIDIA driver ${driver} is too old for ${cuda} (needs >= ${minDriver}${orCompat})`,
  );
}

function assessCann(entry: PublishedImage, facts: HostFacts, cpuOnly: boolean): HostAssessment {
  const wanted = entry.ascendChip ?? (entry.d310p ? "310P" : "310");
  if (cpuOnly) {
    return blocked("cpu-only", "CANN images need an Ascend chip; without one, use a CUDA image");
  }
  const family = ascendFamily(facts);
  if (family === "none") {
    return blocked("no-ascend", `needs an Ascend ${wanted} chip; no /dev/davinci<N> device found`);
  }
  const devices = (facts.ascend?.chips ?? []).map((chip) => `/dev/davinci${chip}`).join(", ");
  if (family === "unknown") {
    return usable("npu", `Ascend chips found (${devices}) but their model was not reported`, [
      `npu-smi did not report the chip model, so Ascend ${wanted} is assumed: plain cann images ` +
        "are for Ascend 310, -d310p images for 310P. Check with `npu-smi info`.",
    ]);
  }
  const model = ascendChipModel(facts.ascend?.chipName ?? "");
  if (family === "other") {
    return blocked(
      "ascend-chip",
      `ModelBox's CANN images are for Ascend 310 and 310P; this host has Ascend ${model}`,
    );
  }
  if (family !== wanted) {
    return blocked(
      "ascend-chip",
      wanted === "310P"
        ? `-d310p images are for Ascend 310P; this host has Ascend ${model}, which needs a plain cann image`
        : `plain cann images are for Ascend 310; this host has Ascend ${model}, which needs a -d310p image`,
    );
  }
  const flavour = wanted === "310P" ? "-d310p" : "plain cann";
  return usable("npu", `Ascend ${model} (${devices}) matches this ${flavour} image`);
}

function usable(
  runsOn: "gpu" | "npu" | "cpu",
  reason: string,
  warnings: string[] = [],
): HostAssessment {
  return { usable: true, reason, warnings, runsOn };
}

function blocked(blocker: ImageBlocker, reason: string): HostAssessment {
  return { usable: false, reason, warnings: [], blocker };
}
