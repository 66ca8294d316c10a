import {
  formatImageReference,
  type ImageReference,
  parseImageReference,
} from "../catalog/image-reference.js";
import { modelboxRepositoryName } from "../catalog/hub-name.js";
import {
  DEFAULT_REGISTRY,
  DOCKER_HUB,
  type RegistrySpec,
  isDockerHub,
  isLoopbackHost,
} from "./registry-spec.js";

/** One place to try a pull: what the engine pulls, and which registry answers it. */
export interface PullCandidate {
  registry: RegistrySpec;
  /** The reference the engine pulls, e.g. "127.0.0.1:5000/modelbox/<name>:1.0". */
  reference: string;
  /** The repository as Docker lists it in RepoDigests ("modelbox/<name>" on Docker Hub). */
  repository: string;
  /** Path inside the registry, e.g. "modelbox/<name>" (for the Registry HTTP API). */
  path: string;
  /** True when the pulled reference differs from the image's name: tag it afterwards. */
  needsTag: boolean;
}

export { modelboxRepositoryName };

/** How Docker names a repository in RepoTags/RepoDigests (the Hub prefix left out). */
export function familiarRepository(host: string, path: string): string {
  if (!isDockerHub(host)) return `${host}/${path}`;
  return path.startsWith("library/") ? path.slice("library/".length) : path;
}

function directCandidate(image: string, reference: ImageReference): PullCandidate {
  const host = reference.registry ?? DOCKER_HUB;
  const hub = isDockerHub(host);
  const path = hub && !reference.path.includes("/") ? `library/${reference.path}` : reference.path;
  return {
    registry: {
      host: hub ? DOCKER_HUB : host,
      namespace: path.split("/").slice(0, -1).join("/"),
      scheme: isLoopbackHost(host) ? "http" : "https",
    },
    reference: image,
    repository: familiarRepository(host, path),
    path,
    needsTag: false,
  };
}

/**
 * Where to pull `image` from, in order. A Docker Hub `modelbox/<name>` image by tag is looked
 * for under each registry's namespace; the first that has it wins and is then tagged with the
 * image's own name, so environments never depend on which mirror answered. A digest-pinned
 * reference is pulled as written: a mirror's copy could not be tagged with a digest.
 */
export function pullCandidates(
  image: string,
  registries: readonly RegistrySpec[] = [DEFAULT_REGISTRY],
): PullCandidate[] {
  const reference = parseImageReference(image);
  const name = modelboxRepositoryName(reference);
  if (name === undefined || reference.digest !== undefined || registries.length === 0) {
    return [directCandidate(image, reference)];
  }
  const tag = reference.tag ?? "latest";
  return registries.map((registry) => {
    const path = `${registry.namespace}/${name}`;
    const repository = familiarRepository(registry.host, path);
    const pulled = `${repository}:${tag}`;
    const canonical = formatImageReference({ path: reference.path, tag });
    return {
      registry,
      reference: isDockerHub(registry.host) && path === reference.path ? image : pulled,
      repository,
      path,
      needsTag: pulled !== canonical,
    };
  });
}

export { resolveImageArgument, withReleaseTag } from "../catalog/image-argument.js";
