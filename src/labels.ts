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
  /**
   * The options the environment was made with (no secrets: variables by name only), so that
   * `upgrade` can make it again with a new image.
   */
  options: `${LABEL_PREFIX}.options`,
  /** On a volume: what it holds for its environment ("home": root's home, /root). */
  volume: `${LABEL_PREFIX}.volume`,
} as const;

export const MANAGED_FILTER = `${LABELS.managed}=true`;

export type LabelledPurpose = "ssh" | "editor" | "http";

/** The ports label, "ssh=50022,editor=1104,http=8080", by purpose. */
export function parsePortsLabel(
  label: string | undefined,
): Partial<Record<LabelledPurpose, number>> {
  const out: Partial<Record<LabelledPurpose, number>> = {};
  for (const pair of (label ?? "").split(",")) {
    const [purpose, port] = pair.split("=");
    const n = Number(port);
    if (
      (purpose === "ssh" || purpose === "editor" || purpose === "http") &&
      Number.isInteger(n) &&
      n > 0
    ) {
      out[purpose] = n;
    }
  }
  return out;
}
