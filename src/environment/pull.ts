import { resolveImageArgument, withReleaseTag } from "../catalog/image-argument.js";
import { parseImageReference } from "../catalog/image-reference.js";
import { obtainWithEvents } from "./obtain-with-events.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { registryContext } from "./registry-context.js";
import type { PullImageOptions, PullImageResult } from "./types.js";

/** `pull IMAGE`: always asks the registries (mirrors in order), like `docker pull`. */
export async function pull(
  options: PullImageOptions,
  context?: OperationContext,
): Promise<PullImageResult> {
  let image = resolveImageArgument(options.image);
  if (options.version !== undefined) {
    // No tag written: --version replaces the implied :latest.
    const untagged = parseImageReference(options.image).tag === undefined;
    image = withReleaseTag(image, options.version, untagged);
  }
  const { engine, emit, signal } = resolveContext(context);
  const registries = await registryContext(options.registry);
  const pulled = await obtainWithEvents(engine, image, {
    policy: "always",
    registries: registries.registries,
    credentials: registries.credentials,
    ...(signal ? { signal } : {}),
    emit,
  });
  const source = pulled.source;
  return {
    ok: true,
    image,
    id: pulled.id,
    ...(source?.repoDigest ? { digest: source.repoDigest } : {}),
    ...(source ? { registry: source.registry, pulledReference: source.reference } : {}),
  };
}
