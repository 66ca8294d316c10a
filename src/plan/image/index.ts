/** Choosing and assessing a published image for a host's facts: part of planning. */
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
