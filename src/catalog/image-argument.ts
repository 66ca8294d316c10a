import { ModelboxDevError } from "../errors.js";
import { formatImageReference, parseImageReference } from "./image-reference.js";
import { parseModelboxName } from "./modelbox-name.js";

/** Docker Hub's namespace that holds the published ModelBox images. */
export const DEFAULT_NAMESPACE = "modelbox";

/**
 * What a user may type for an image: a full reference, `modelbox/<name>[:tag]`, or the bare
 * ModelBox name. Returns the reference with a tag (`:latest` unless given).
 */
export function resolveImageArgument(text: string): string {
  const reference = parseImageReference(text);
  if (
    reference.registry === undefined &&
    !reference.path.includes("/") &&
    parseModelboxName(reference.path)
  ) {
    reference.path = `${DEFAULT_NAMESPACE}/${reference.path}`;
  }
  if (reference.tag === undefined && reference.digest === undefined) reference.tag = "latest";
  return formatImageReference(reference);
}

const TAG = /^\w[\w.-]{0,127}$/;

/**
 * The image with the release tag `version` (`--version`). `chosen`: the image was picked from
 * the catalogue, whose default tag gives way; a tag the user wrote must agree.
 */
export function withReleaseTag(image: string, version: string, chosen: boolean): string {
  if (!TAG.test(version)) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--version ${JSON.stringify(version)} is not a valid image tag.`,
      "A tag is up to 128 letters, digits, '_', '.' and '-' (e.g. 1.5.3); 'modelbox-dev images --tags NAME' lists them.",
    );
  }
  const reference = parseImageReference(image);
  if (reference.digest !== undefined) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--version ${version} cannot apply to ${image}: it is pinned by digest.`,
      "Drop --version, or give the image without its @sha256 digest.",
    );
  }
  if (!chosen && reference.tag !== undefined && reference.tag !== version) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--version ${version} disagrees with the tag of --image ${image}.`,
      `Give the tag once: --image ${formatImageReference({ ...reference, tag: version })}, or --image without a tag plus --version.`,
    );
  }
  return formatImageReference({ ...reference, tag: version });
}
