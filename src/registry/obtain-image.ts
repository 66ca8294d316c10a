import { pullError } from "./classify-pull-error.js";
import type { CredentialLookup } from "./credentials.js";
import { type RegistryFailure, combineFailures, shouldTryNext } from "./failures.js";
import { type PullCandidate, pullCandidates } from "./image-source.js";
import { type RegistrySpec, formatRegistrySpec } from "./registry-spec.js";
import { parseImageReference } from "../catalog/image-reference.js";
import { ModelboxDevError } from "../errors.js";
import type {
  ContainerEngine,
  ImageDetails,
  PullPolicy,
  PullProgressEvent,
  RegistryAuth,
} from "../engine/types.js";

export type { PullPolicy } from "../engine/types.js";

/** Where a pulled image came from: the environment's labels record the digest (R9). */
export interface ImageSource {
  /** The registry that served it, as the user names it ("docker.io/modelbox"). */
  registry: string;
  /** What the engine pulled. */
  reference: string;
  /** "repository@sha256:…" from that registry, when the engine reports it. */
  repoDigest?: string;
}

export interface ObtainedImage extends ImageDetails {
  /** Set when this call pulled the image. */
  source?: ImageSource;
}

export interface ObtainOptions {
  policy: PullPolicy;
  /** Tried in order (default: Docker Hub's docker.io/modelbox). */
  registries?: RegistrySpec[];
  /** The user's registry credentials (from their Docker config), by host. */
  credentials?: CredentialLookup;
  onProgress?: (event: PullProgressEvent) => void;
  /** Told before each registry is tried, and when one fails and the next is tried. */
  onAttempt?: (attempt: PullAttempt) => void;
  /** Aborting cancels the pull; nothing is tagged, and INTERRUPTED is thrown. */
  signal?: AbortSignal;
}

export type PullAttempt =
  | { kind: "trying"; registry: string; reference: string }
  | {
      kind: "failed";
      registry: string;
      reference: string;
      error: ModelboxDevError;
      /** The registry tried next, if any. */
      next?: string;
    };

function interrupted(image: string): ModelboxDevError {
  return new ModelboxDevError(
    "INTERRUPTED",
    `Pulling ${image} was interrupted; the image was not pulled.`,
    "Run the command again to restart the pull (layers already downloaded are kept by the engine).",
  );
}

async function authFor(
  candidate: PullCandidate,
  credentials: CredentialLookup | undefined,
): Promise<RegistryAuth | undefined> {
  const found = await credentials?.(candidate.registry.host);
  if (!found) return undefined;
  return {
    serverAddress: found.serverAddress,
    ...(found.username !== undefined ? { username: found.username } : {}),
    ...(found.password !== undefined ? { password: found.password } : {}),
    ...(found.identityToken !== undefined ? { identityToken: found.identityToken } : {}),
  };
}

/** Pulls one candidate; returns the digest the engine announced, if it did. */
async function pullOne(
  engine: ContainerEngine,
  image: string,
  candidate: PullCandidate,
  options: ObtainOptions,
): Promise<string | undefined> {
  let digest: string | undefined;
  const auth = await authFor(candidate, options.credentials);
  try {
    await engine.pullImage(
      candidate.reference,
      (event) => {
        const m = /^Digest: (sha256:[a-f0-9]{64})/.exec(event.status);
        if (m?.[1]) digest = m[1];
        options.onProgress?.(event);
      },
      { ...(auth ? { auth } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    );
  } catch (err) {
    if (options.signal?.aborted) throw interrupted(image);
    if (err instanceof ModelboxDevError) throw err;
    const reference = parseImageReference(image);
    throw pullError(
      err instanceof Error ? err.message : String(err),
      {
        image,
        registry: formatRegistrySpec(candidate.registry),
        host: candidate.registry.host,
        name: reference.path,
      },
      err,
    );
  }
  return digest;
}

/** The served repository's digest first, so `RepoDigests[0]` (the environment label) is it. */
function withServedDigestFirst(
  image: ImageDetails,
  candidate: PullCandidate,
  announced: string | undefined,
): ObtainedImage {
  const prefix = `${candidate.repository}@`;
  const served =
    image.repoDigests.find((d) => d.startsWith(prefix)) ??
    (announced ? `${prefix}${announced}` : undefined);
  const repoDigests = served
    ? [served, ...image.repoDigests.filter((d) => d !== served)]
    : image.repoDigests;
  return {
    ...image,
    repoDigests,
    source: {
      registry: formatRegistrySpec(candidate.registry),
      reference: candidate.reference,
      ...(served ? { repoDigest: served } : {}),
    },
  };
}

/**
 * Makes the image present per the pull policy. A ModelBox image is looked for on each
 * registry in order (mirrors first, as configured); a mirror's copy is then tagged with the
 * image's own name, so the environment does not depend on which registry answered. Disk full
 * or Ctrl-C stop at once; anything else moves on to the next registry.
 */
export async function obtainImage(
  engine: ContainerEngine,
  image: string,
  options: ObtainOptions,
): Promise<ObtainedImage> {
  const present = options.policy === "always" ? undefined : await engine.inspectImage(image);
  if (present) return present;
  if (options.policy === "never") {
    throw new ModelboxDevError(
      "IMAGE_NOT_FOUND",
      `Image ${image} is not present on the engine, and --pull never forbids pulling it.`,
      `Pull it first ('modelbox-dev pull ${image}'), load it ('modelbox-dev image load FILE'), or use --pull missing.`,
    );
  }
  const failures: RegistryFailure[] = [];
  const candidates = pullCandidates(image, options.registries);
  for (const [index, candidate] of candidates.entries()) {
    const registry = formatRegistrySpec(candidate.registry);
    options.onAttempt?.({ kind: "trying", registry, reference: candidate.reference });
    try {
      const announced = await pullOne(engine, image, candidate, options);
      if (options.signal?.aborted) throw interrupted(image);
      if (candidate.needsTag) await engine.tagImage(candidate.reference, image);
      const pulled = await engine.inspectImage(image);
      if (!pulled) {
        throw new ModelboxDevError(
          "PULL_FAILED",
          `Pulling ${candidate.reference} ended, but the engine does not have ${image}.`,
          "Try again; if it persists, check the engine's log (journalctl -u docker).",
        );
      }
      return withServedDigestFirst(pulled, candidate, announced);
    } catch (err) {
      if (!shouldTryNext(err)) throw err;
      failures.push({ registry, error: err });
      const next = candidates[index + 1];
      options.onAttempt?.({
        kind: "failed",
        registry,
        reference: candidate.reference,
        error: err,
        ...(next ? { next: formatRegistrySpec(next.registry) } : {}),
      });
    }
  }
  throw combineFailures(`Pulling ${image} failed`, failures, "PULL_FAILED");
}

/** Makes sure the image is present per the pull policy (Docker Hub); returns what the engine has. */
export async function ensureImage(
  engine: ContainerEngine,
  image: string,
  policy: PullPolicy,
  onProgress?: (event: PullProgressEvent) => void,
): Promise<ImageDetails> {
  return obtainImage(engine, image, { policy, ...(onProgress ? { onProgress } : {}) });
}
