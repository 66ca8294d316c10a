import { DEFAULT_NAMESPACE } from "./image-argument.js";
import type { ImageReference } from "./image-reference.js";

const HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** Docker Hub, however a reference or registry names it (or leaves it out). */
export function isDockerHub(host: string | undefined): boolean {
  return host === undefined || HUB_ALIASES.has(host.toLowerCase());
}

/**
 * The ModelBox repository name of a Docker Hub `modelbox/<name>` reference, else undefined:
 * only those are looked for on mirrors. Anything else (another registry, another namespace) is
 * pulled exactly as written.
 */
export function modelboxRepositoryName(reference: ImageReference): string | undefined {
  if (!isDockerHub(reference.registry)) return undefined;
  const parts = reference.path.split("/");
  return parts.length === 2 && parts[0] === DEFAULT_NAMESPACE ? parts[1] : undefined;
}
