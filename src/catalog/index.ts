export {
  formatImageReference,
  imageRepository,
  normalizeImageReference,
  parseImageReference,
  type ImageReference,
} from "./image-reference.js";
export {
  IMAGE_ACCELERATORS,
  IMAGE_ARCHES,
  IMAGE_KINDS,
  IMAGE_OSES,
  KNOWN_ENGINES,
  describeImage,
  formatModelboxName,
  parseModelboxName,
  requireModelboxName,
  type ImageAccelerator,
  type ImageArch,
  type ImageDescription,
  type ImageKind,
  type ImageOs,
  type ModelboxImageName,
} from "./modelbox-name.js";
export {
  PUBLISHED_IMAGES,
  cudaRequirementFor,
  findPublishedImage,
  type AscendChipFamily,
  type CudaRequirement,
  type PublishedImage,
} from "./published-images.js";
export {
  ACCELERATOR_FILTERS,
  filterImages,
  resolveImageFilter,
  type AcceleratorFilter,
  type ImageFilter,
  type ResolvedImageFilter,
} from "./filter-images.js";
export { compareVersions, isVersionAtLeast, parseVersion } from "./version.js";
export {
  closestImages,
  findByShortName,
  looksLikeCatalogueName,
  shortImageReference,
  shortName,
} from "./short-names.js";
