import { ModelboxDevError } from "../../errors.js";
import type { HostFacts } from "../../host/facts.js";
import { assessImageForHost } from "./assess-image.js";
import { resolveImageFilter, type ResolvedImageFilter } from "../../catalog/filter-images.js";
import { ascendFamily, nvidiaState } from "./host-accelerators.js";
import { noCandidates, nothingFits, type Assessed } from "./no-image-errors.js";
import type { ImageAccelerator } from "../../catalog/modelbox-name.js";
import type { PublishedImage } from "../../catalog/published-images.js";
import { compareVersions } from "../../catalog/version.js";

export { assessImageForHost } from "./assess-image.js";

/** "auto" follows the host: NVIDIA GPU → CUDA, Ascend chips → CANN, neither → CUDA on the CPU. */
export type AcceleratorPreference = "auto" | "cuda" | "ascend" | "cann" | "cpu";
const ACCELERATOR_PREFERENCES: readonly AcceleratorPreference[] = [
  "auto",
  "cuda",
  "ascend",
  "cann",
  "cpu",
];

export interface ImagePreferences {
  engine?: string;
  accel?: AcceleratorPreference;
  /** Default ubuntu. */
  os?: string;
  /** Default develop: runtime images have no sshd, SDK or editor. */
  kind?: string;
}

export interface ImageChoice {
  entry: PublishedImage;
  /** One plain line: the image and why it fits this host. */
  reason: string;
  warnings: string[];
}

// Without --engine: the seed's own example (tensorflow) for CUDA, the only one for CANN; the rest
// are fallbacks when the driver is too old for the default's CUDA.
const ENGINE_ORDER: Readonly<Record<ImageAccelerator, readonly string[]>> = {
  cuda: ["tensorflow", "libtorch", "tensorrt"],
  cann: ["mindspore"],
};

/** The best published image for this host and these preferences (IMAGE_NOT_FOUND if none). */
export function chooseImage(
  entries: readonly PublishedImage[],
  facts: HostFacts,
  prefs: ImagePreferences = {},
): ImageChoice {
  const wanted = resolveImageFilter(
    {
      engine: prefs.engine,
      os: prefs.os ?? "ubuntu",
      kind: prefs.kind ?? "develop",
      includeOld: true,
    },
    entries,
  );
  const accel = pickAccelerator(resolvePreference(prefs.accel), facts);
  const candidates = entries.filter(
    (entry) =>
      entry.accel === accel.accel &&
      entry.os === wanted.os &&
      entry.kind === wanted.kind &&
      (wanted.engine === undefined || entry.engine === wanted.engine),
  );
  if (candidates.length === 0) throw noCandidates(entries, wanted, accel.accel);

  const assessed = candidates.map((entry) => ({
    entry,
    assessment: assessImageForHost(entry, facts, { cpuOnly: accel.cpuOnly }),
  }));
  const fitting = assessed
    .filter((item) => item.assessment.usable)
    .sort((a, b) => rank(a.entry, b.entry, ENGINE_ORDER[accel.accel]));
  const best = fitting[0];
  if (best === undefined) {
    throw nothingFits(
      facts,
      wanted,
      accel.accel,
      assessed,
      alternativeEngine(entries, facts, prefs),
    );
  }

  const warnings = [...accel.notes, ...best.assessment.warnings];
  const fallback = defaultEngineNote(best.entry, wanted, accel.accel, assessed);
  if (fallback !== undefined) warnings.push(fallback);
  if (!best.entry.current) {
    warnings.push(`${best.entry.name} is an older release; newer ModelBox images do not fit.`);
  }
  return { entry: best.entry, reason: `${best.entry.name}: ${best.assessment.reason}`, warnings };
}

function resolvePreference(value: string | undefined): AcceleratorPreference {
  const accel = (value ?? "auto").trim().toLowerCase();
  const found = ACCELERATOR_PREFERENCES.find((candidate) => candidate === accel);
  if (found !== undefined) return found;
  throw new ModelboxDevError(
    "INVALID_OPTION",
    `Unknown accelerator "${value}".`,
    `Valid accelerator values: ${ACCELERATOR_PREFERENCES.join(", ")}.`,
  );
}

interface AcceleratorPick {
  accel: ImageAccelerator;
  cpuOnly: boolean;
  notes: string[];
}

function pickAccelerator(preference: AcceleratorPreference, facts: HostFacts): AcceleratorPick {
  const nvidia = nvidiaState(facts);
  const ascend = ascendFamily(facts);
  if (preference === "cpu") return { accel: "cuda", cpuOnly: true, notes: [] };
  if (preference === "cuda") {
    if (nvidia.state !== "gpu") {
      throw new ModelboxDevError(
        "GPU_UNAVAILABLE",
        nvidia.state === "broken"
          ? `CUDA was requested but nvidia-smi fails: ${nvidia.error}.`
          : "CUDA was requested but no NVIDIA GPU was found (nvidia-smi is not installed).",
        "Install or repair the NVIDIA driver until `nvidia-smi` works, or use --accel cpu to run a CUDA image on the CPU (CPU flowunits only).",
      );
    }
    return { accel: "cuda", cpuOnly: false, notes: [] };
  }
  if (preference === "ascend" || preference === "cann") {
    if (ascend === "none") {
      throw new ModelboxDevError(
        "NPU_UNAVAILABLE",
        "Ascend was requested but no /dev/davinci<N> device was found.",
        "Install the Ascend driver so /dev/davinci* devices appear, or use --accel cpu to run a CUDA image on the CPU (x86_64 only).",
      );
    }
    return { accel: "cann", cpuOnly: false, notes: [] };
  }
  if (nvidia.state === "gpu") {
    const notes =
      ascend === "none"
        ? []
        : ["This host also has Ascend chips; use --accel ascend for a CANN image."];
    return { accel: "cuda", cpuOnly: false, notes };
  }
  if (ascend !== "none") return { accel: "cann", cpuOnly: false, notes: [] };
  // No accelerator: CUDA images start without a GPU (the assessment says CPU flowunits only).
  return { accel: "cuda", cpuOnly: false, notes: [] };
}

/** Current before old, preferred engine, newest accelerator, plain before d310p, newest engine. */
function rank(a: PublishedImage, b: PublishedImage, engineOrder: readonly string[]): number {
  const position = (engine: string) => {
    const index = engineOrder.indexOf(engine);
    return index < 0 ? engineOrder.length : index;
  };
  return (
    Number(b.current) - Number(a.current) ||
    position(a.engine) - position(b.engine) ||
    compareVersions(b.accelVersion, a.accelVersion) ||
    Number(a.d310p) - Number(b.d310p) ||
    (a.engine === b.engine ? compareVersions(b.engineVersion, a.engineVersion) : 0)
  );
}

function defaultEngineNote(
  chosen: PublishedImage,
  wanted: ResolvedImageFilter,
  accel: ImageAccelerator,
  assessed: readonly Assessed[],
): string | undefined {
  const preferred = ENGINE_ORDER[accel][0];
  if (wanted.engine !== undefined || preferred === undefined || chosen.engine === preferred) return;
  const blocked = assessed.find(
    (item) => item.entry.engine === preferred && !item.assessment.usable,
  );
  if (blocked === undefined) return;
  return `No ${preferred} image fits: ${blocked.assessment.reason}. Chose ${chosen.engine} instead; use --engine to pick another.`;
}

/** With --engine set and nothing fitting: the image that would fit without it, if any. */
function alternativeEngine(
  entries: readonly PublishedImage[],
  facts: HostFacts,
  prefs: ImagePreferences,
): PublishedImage | undefined {
  if (prefs.engine === undefined) return undefined;
  try {
    return chooseImage(entries, facts, { ...prefs, engine: undefined }).entry;
  } catch {
    return undefined;
  }
}
