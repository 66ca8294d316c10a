import { ModelboxDevError } from "../../errors.js";
import type { HostFacts } from "../../host/facts.js";
import type { HostAssessment } from "./assess-image.js";
import type { ResolvedImageFilter } from "../../catalog/filter-images.js";
import { hostArch } from "./host-accelerators.js";
import type { ImageAccelerator } from "../../catalog/modelbox-name.js";
import type { PublishedImage } from "../../catalog/published-images.js";
import { compareVersions } from "../../catalog/version.js";

export interface Assessed {
  entry: PublishedImage;
  assessment: HostAssessment;
}

const ACCEL_LABEL: Readonly<Record<ImageAccelerator, string>> = {
  cuda: "CUDA",
  cann: "CANN (Ascend)",
};

/** The filters leave no image at all, before any host check. */
export function noCandidates(
  entries: readonly PublishedImage[],
  wanted: ResolvedImageFilter,
  accel: ImageAccelerator,
): ModelboxDevError {
  const label = ACCEL_LABEL[accel];
  const engine = wanted.engine ?? "any engine";
  const engines = new Set(entries.filter((e) => e.accel === accel).map((e) => e.engine));
  const other = entries.find((e) => e.engine === wanted.engine && e.accel !== accel)?.accel;
  const hints = [
    other === undefined
      ? ""
      : `${engine} images are ${ACCEL_LABEL[other]} images` +
        (other === "cann"
          ? " (--accel ascend on a host with an Ascend 310/310P chip). "
          : " (--accel cuda or cpu). "),
    engines.size > 0 ? `${label} images exist for: ${[...engines].join(", ")}.` : "",
  ];
  return new ModelboxDevError(
    "IMAGE_NOT_FOUND",
    `ModelBox publishes no ${wanted.kind ?? ""} ${wanted.os ?? ""} ${label} image for ${engine}.`.replace(
      /\s+/g,
      " ",
    ),
    hints.join("").trim() || "Use --image to name an image yourself.",
  );
}

/** Candidates existed but none runs here: say why each failed and what would help. */
export function nothingFits(
  facts: HostFacts,
  wanted: ResolvedImageFilter,
  accel: ImageAccelerator,
  assessed: readonly Assessed[],
  alternative: PublishedImage | undefined,
): ModelboxDevError {
  const reasons = [...new Set(assessed.map((item) => item.assessment.reason))];
  const blockers = new Set(
    assessed.flatMap((item) => (item.assessment.usable ? [] : [item.assessment.blocker])),
  );
  const arch = hostArch(facts);
  const hints: string[] = [];
  if (blockers.has("driver")) {
    const needs = [
      ...new Map(
        assessed.flatMap((item) =>
          item.entry.cuda ? [[item.entry.cuda.version, item.entry.cuda.minDriver] as const] : [],
        ),
      ),
    ]
      .sort(([a], [b]) => compareVersions(a, b))
      .map(([version, driver]) => `CUDA ${version} images need >= ${driver}`);
    hints.push(
      `Upgrade the NVIDIA driver (${needs.join(", ")}), or use --accel cpu to run a CUDA image on the CPU (CPU flowunits only).`,
    );
  }
  if (blockers.has("arch")) {
    const arches = [...new Set(assessed.map((item) => item.entry.arch))].join(" and ");
    hints.push(
      `ModelBox publishes ${ACCEL_LABEL[accel]} images for ${arches} only; use --image with an image built for ${arch}.`,
    );
  }
  if (blockers.has("ascend-chip")) {
    hints.push(
      "ModelBox's CANN images cover Ascend 310 (plain) and 310P (-d310p); use --image with an image built for your chip" +
        (arch === "x86_64" ? ", or --accel cpu to run a CUDA image on the CPU." : "."),
    );
  }
  if (wanted.engine !== undefined && alternative !== undefined) {
    hints.push(`Without --engine ${wanted.engine}, ${alternative.name} would fit.`);
  }
  const what = `${wanted.engine ?? ""} ${ACCEL_LABEL[accel]} ${wanted.kind ?? ""} ${wanted.os ?? ""}`;
  return new ModelboxDevError(
    "IMAGE_NOT_FOUND",
    `No published ModelBox ${what.replace(/\s+/g, " ").trim()} image fits this host: ${reasons.join("; ")}.`,
    hints.length > 0 ? hints.join(" ") : "Use --image to name an image yourself.",
  );
}
