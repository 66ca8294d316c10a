import { ModelboxDevError } from "../errors.js";
import { parseImageReference } from "../catalog/image-reference.js";
import type { CredentialLookup } from "./credentials.js";
import { pullCandidates } from "./image-source.js";
import { manifestDigest } from "./manifest-digest.js";
import { type FetchLike, RegistryHttp } from "./registry-http.js";
import {
  DOCKER_HUB,
  type RegistrySpec,
  apiBaseUrl,
  formatRegistrySpec,
  isDockerHub,
  isLoopbackHost,
} from "./registry-spec.js";

export type DigestStatus = "current" | "outdated" | "unknown";

export interface DigestCheck {
  status: DigestStatus;
  /** Why the answer is "unknown", or a note on "current". */
  reason?: string;
  /** The registry asked, as the user names it. */
  registry?: string;
  /** "sha256:…" the environment was created from. */
  runningDigest?: string;
  /** "sha256:…" the tag points to in the registry now. */
  registryDigest?: string;
}

export interface DigestCheckOptions {
  /** Ask these instead of the registry that served the image (first that answers). */
  registries?: RegistrySpec[];
  /** Registries the user configured: their scheme applies when one served the image. */
  known?: RegistrySpec[];
  credentials?: CredentialLookup;
  fetch?: FetchLike;
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Source {
  spec: RegistrySpec;
  path: string;
}

/** The registry and path that served a "repository@sha256:…" RepoDigest. */
function servedBy(repoDigest: string, known: RegistrySpec[]): Source {
  const repository = repoDigest.slice(0, repoDigest.indexOf("@"));
  const ref = parseImageReference(repository);
  const host = ref.registry ?? DOCKER_HUB;
  const hub = isDockerHub(host);
  const path = hub && !ref.path.includes("/") ? `library/${ref.path}` : ref.path;
  const namespace = path.split("/").slice(0, -1).join("/");
  const scheme =
    known.find((k) => k.host === (hub ? DOCKER_HUB : host))?.scheme ??
    (isLoopbackHost(host) ? "http" : "https");
  return { spec: { host: hub ? DOCKER_HUB : host, namespace, scheme }, path };
}

/**
 * Whether the image an environment was created from is still what its tag points to (R9):
 * asks the registry that served it (or the given ones) for the tag's manifest digest, and
 * compares it with the recorded RepoDigest. Never throws for registry trouble: that is
 * "unknown", with the reason.
 */
export async function checkImageDigest(
  image: string,
  recordedRepoDigest: string | undefined,
  options: DigestCheckOptions = {},
): Promise<DigestCheck> {
  const reference = parseImageReference(image);
  if (reference.digest) return { status: "current", reason: "pinned by digest" };
  if (!recordedRepoDigest?.includes("@")) {
    return {
      status: "unknown",
      reason: "no registry digest recorded (the image was built or loaded locally)",
    };
  }
  const runningDigest = recordedRepoDigest.slice(recordedRepoDigest.indexOf("@") + 1);
  const tag = reference.tag ?? "latest";
  const sources: Source[] = options.registries?.length
    ? pullCandidates(image, options.registries).map((c) => ({ spec: c.registry, path: c.path }))
    : [servedBy(recordedRepoDigest, options.known ?? [])];
  const reasons: string[] = [];
  for (const source of sources) {
    const registry = formatRegistrySpec(source.spec);
    try {
      const credentials = await options.credentials?.(source.spec.host);
      const http = new RegistryHttp(apiBaseUrl(source.spec), registry, {
        ...(credentials ? { credentials } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const registryDigest = await manifestDigest(http, source.path, tag);
      if (!registryDigest) {
        reasons.push(`${registry} no longer has the tag ${tag}`);
        continue;
      }
      return {
        status: registryDigest === runningDigest ? "current" : "outdated",
        registry,
        runningDigest,
        registryDigest,
      };
    } catch (err) {
      if (err instanceof ModelboxDevError && err.code === "INTERRUPTED") throw err;
      reasons.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { status: "unknown", reason: reasons.join("; "), runningDigest };
}
