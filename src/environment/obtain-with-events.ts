import type { ContainerEngine } from "../engine/types.js";
import type { CredentialLookup } from "../registry/credentials.js";
import { type ObtainedImage, type PullPolicy, obtainImage } from "../registry/obtain-image.js";
import type { RegistrySpec } from "../registry/registry-spec.js";
import type { OperationEvent } from "./operation.js";

export interface ObtainRequest {
  policy: PullPolicy;
  registries: RegistrySpec[];
  credentials: CredentialLookup;
  signal?: AbortSignal;
  emit: (event: OperationEvent) => void;
}

/**
 * Makes the image present per the policy, from the registries in order, telling the client each
 * registry tried, the layer progress and the end (a `done` event also when it fails).
 */
export async function obtainWithEvents(
  engine: ContainerEngine,
  image: string,
  request: ObtainRequest,
): Promise<ObtainedImage> {
  const { emit } = request;
  let source: ObtainedImage["source"];
  try {
    const obtained = await obtainImage(engine, image, {
      policy: request.policy,
      registries: request.registries,
      credentials: request.credentials,
      ...(request.signal ? { signal: request.signal } : {}),
      onProgress: (progress) => emit({ type: "pull", image, phase: "progress", progress }),
      onAttempt: (a) =>
        emit(
          a.kind === "trying"
            ? { type: "pull", image, phase: "trying", registry: a.registry, reference: a.reference }
            : {
                type: "pull",
                image,
                phase: "failed",
                registry: a.registry,
                reference: a.reference,
                error: { code: a.error.code, message: a.error.message },
                ...(a.next ? { next: a.next } : {}),
              },
        ),
    });
    source = obtained.source;
    return obtained;
  } finally {
    emit({ type: "pull", image, phase: "done", ...(source ? { source } : {}) });
  }
}
