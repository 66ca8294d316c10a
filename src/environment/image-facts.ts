import type { ContainerSummary, ImageDetails } from "../engine/types.js";
import { LABELS } from "../labels.js";
import type { ImageFacts } from "./types.js";

/** What an image really is (R9): id, digest, CUDA version (ModelBox's misspelled label too). */
export function imageFacts(reference: string, image: ImageDetails): ImageFacts {
  const digest = image.repoDigests[0];
  const cuda = image.labels["com.nvidia.cuda.verison"] ?? image.labels["com.nvidia.cuda.version"];
  const version = image.labels["org.opencontainers.image.version"];
  return {
    reference,
    id: image.id,
    ...(digest ? { digest } : {}),
    ...(cuda ? { cudaVersion: cuda } : {}),
    ...(version ? { version } : {}),
  };
}

/** The image facts recorded on an environment at create time. */
export function containerImageFacts(c: ContainerSummary & { imageId?: string }): ImageFacts {
  const l = c.labels;
  return {
    reference: l[LABELS.image] ?? c.image,
    id: l[LABELS.imageId] ?? c.imageId ?? "",
    ...(l[LABELS.imageDigest] ? { digest: l[LABELS.imageDigest] } : {}),
    ...(l[LABELS.cudaVersion] ? { cudaVersion: l[LABELS.cudaVersion] } : {}),
    ...(l[LABELS.imageVersion] ? { version: l[LABELS.imageVersion] } : {}),
  };
}

/** The labels that record the image facts on the environment. */
export function imageFactsLabels(facts: ImageFacts): Record<string, string> {
  return {
    [LABELS.imageId]: facts.id,
    ...(facts.digest ? { [LABELS.imageDigest]: facts.digest } : {}),
    ...(facts.cudaVersion ? { [LABELS.cudaVersion]: facts.cudaVersion } : {}),
    ...(facts.version ? { [LABELS.imageVersion]: facts.version } : {}),
  };
}
