import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine, ImageDetails, PullProgressEvent } from "../engine/types.js";

export type PullPolicy = "missing" | "always" | "never";

function pullHint(message: string): string {
  if (/not found|manifest unknown|does not exist|repository .* not found/i.test(message)) {
    return "Check the image name and tag ('modelbox-dev images' lists the published ones).";
  }
  if (/unauthorized|authentication required|denied/i.test(message)) {
    return "Log in to the registry with 'docker login <registry>', or check the repository name.";
  }
  if (/no space left/i.test(message)) {
    return "Free disk space in the engine's data root ('docker system prune'), then try again.";
  }
  return "Is the registry reachable from this host? Try a mirror, or load the image with 'docker load'.";
}

/** Makes sure the image is present per the pull policy; returns what the engine has. */
export async function ensureImage(
  engine: ContainerEngine,
  image: string,
  policy: PullPolicy,
  onProgress?: (event: PullProgressEvent) => void,
): Promise<ImageDetails> {
  const present = policy === "always" ? undefined : await engine.inspectImage(image);
  if (present) return present;
  if (policy === "never") {
    throw new ModelboxDevError(
      "IMAGE_NOT_FOUND",
      `Image ${image} is not present on the engine, and --pull never forbids pulling it.`,
      `Pull it first ('docker pull ${image}'), or use --pull missing.`,
    );
  }
  try {
    await engine.pullImage(image, onProgress);
  } catch (err) {
    if (err instanceof ModelboxDevError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new ModelboxDevError(
      "PULL_FAILED",
      `Pulling ${image} failed: ${message}`,
      pullHint(message),
      {
        cause: err,
      },
    );
  }
  const pulled = await engine.inspectImage(image);
  if (!pulled) {
    throw new ModelboxDevError(
      "PULL_FAILED",
      `Pulling ${image} ended, but the engine does not have it.`,
      pullHint(""),
    );
  }
  return pulled;
}
