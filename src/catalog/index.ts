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
export {
  CPU_ONLY_WARNING,
  assessImageForHost,
  type AssessOptions,
  type HostAssessment,
  type ImageBlocker,
} from "./assess-image.js";
export {
  chooseImage,
  type AcceleratorPreference,
  type ImageChoice,
  type ImagePreferences,
} from "./choose-image.js";
export { compareVersions, isVersionAtLeast, parseVersion } from "./version.js";
