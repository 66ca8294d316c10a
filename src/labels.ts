/** Labels are identity: every container we create carries these, and nothing else is ours. */
export const LABEL_PREFIX = "io.modelbox-dev";
export const LABELS = {
  managed: `${LABEL_PREFIX}.managed`,
  name: `${LABEL_PREFIX}.name`,
  specHash: `${LABEL_PREFIX}.spec-hash`,
  spec: `${LABEL_PREFIX}.spec`,
  image: `${LABEL_PREFIX}.image`,
  kind: `${LABEL_PREFIX}.kind`,
  ports: `${LABEL_PREFIX}.ports`,
  toolVersion: `${LABEL_PREFIX}.version`,
  /** What the image really was at create time (R9: is this the version the user needs?). */
  imageId: `${LABEL_PREFIX}.image-id`,
  imageDigest: `${LABEL_PREFIX}.image-digest`,
  cudaVersion: `${LABEL_PREFIX}.cuda-version`,
  imageVersion: `${LABEL_PREFIX}.image-version`,
} as const;

export const MANAGED_FILTER = `${LABELS.managed}=true`;
