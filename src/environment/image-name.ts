import { resolveImageArgument } from "../catalog/image-argument.js";
import { parseImageReference } from "../catalog/image-reference.js";
import { modelboxRepositoryName } from "../catalog/hub-name.js";
import { findPublishedImage } from "../catalog/published-images.js";
import { closestImages, looksLikeCatalogueName, shortName } from "../catalog/short-names.js";
import type { ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";

/** Docker Hub's `modelbox/…` (however Hub is named): the namespace the catalogue lists in full. */
function inModelboxNamespace(reference: string): boolean {
  return modelboxRepositoryName(parseImageReference(reference)) !== undefined;
}

/**
 * The image a user named (`up --image`, `pull`, `upgrade --image`): a short form or bare
 * ModelBox name made whole. A name meant for the catalogue that is not in it, and not on the
 * engine either, is refused with the closest catalogue names before any registry is asked
 * (a registry would only answer "not found", slowly). Other images are left to the registry.
 */
export async function resolveImageName(engine: ContainerEngine, text: string): Promise<string> {
  const reference = resolveImageArgument(text);
  if (findPublishedImage(reference)) return reference;
  if (!inModelboxNamespace(reference) && !looksLikeCatalogueName(text)) return reference;
  if (await engine.inspectImage(reference)) return reference;
  const near = closestImages(text);
  const width = Math.max(...near.map((e) => shortName(e).length));
  throw new ModelboxDevError(
    "UNKNOWN_IMAGE",
    `${JSON.stringify(text)} is not a published ModelBox image, and the engine does not have it.`,
    `Did you mean ${near.map((e) => shortName(e)).join(", ")}? 'modelbox-dev images' lists them all (short names work with --image and pull).`,
    { details: near.map((e) => `  ${shortName(e).padEnd(width)}  ${e.repository}`) },
  );
}
