import { lookupTags } from "../registry/lookup-tags.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { registryContext } from "./registry-context.js";

export interface ImageTagsOptions {
  /** A ModelBox name, `modelbox/<name>`, or any repository. */
  name: string;
  registry?: string[];
  /** Ask the registry even when the cached list is fresh. */
  refresh?: boolean;
}

export interface ImageTagsResult {
  ok: true;
  name: string;
  registry: string;
  repository: string;
  /** Newest first. */
  tags: string[];
  fetchedAt: string;
  source: "registry" | "cache" | "stale-cache";
  warnings: string[];
}

function age(fetchedAt: string): string {
  const minutes = Math.round((Date.now() - Date.parse(fetchedAt)) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return "just now";
  return minutes < 120 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

/** `images --tags NAME`: the tags a registry has for an image (cached; mirrors in order). */
export async function imageTags(
  options: ImageTagsOptions,
  context?: OperationContext,
): Promise<ImageTagsResult> {
  const { signal } = resolveContext(context);
  const registries = await registryContext(options.registry);
  const result = await lookupTags(options.name, {
    registries: registries.registries,
    credentials: registries.credentials,
    cache: registries.tagsCache,
    ...(registries.config.tagsCacheTtlSeconds !== undefined
      ? { ttlSeconds: registries.config.tagsCacheTtlSeconds }
      : {}),
    refresh: options.refresh ?? false,
    ...(signal ? { signal } : {}),
  });
  const warnings = result.failures.map((f) => f.error.message);
  if (result.source === "stale-cache") {
    warnings.push(`No registry answered: these are the tags seen ${age(result.fetchedAt)}.`);
  }
  return {
    ok: true,
    name: options.name,
    registry: result.registry,
    repository: result.path,
    tags: result.tags,
    fetchedAt: result.fetchedAt,
    source: result.source,
    warnings,
  };
}

export { age as ageOf };
