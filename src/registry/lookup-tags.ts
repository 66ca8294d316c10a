import { parseImageReference, formatImageReference } from "../catalog/image-reference.js";
import type { CredentialLookup } from "./credentials.js";
import { type RegistryFailure, combineFailures, shouldTryNext } from "./failures.js";
import { pullCandidates, resolveImageArgument } from "./image-source.js";
import { listTags, sortTags } from "./list-tags.js";
import { type FetchLike, RegistryHttp } from "./registry-http.js";
import { type RegistrySpec, apiBaseUrl, formatRegistrySpec } from "./registry-spec.js";
import { type TagsCache, DEFAULT_TAGS_TTL_SECONDS, isFresh } from "./tags-cache.js";

export interface TagLookupOptions {
  registries: RegistrySpec[];
  credentials?: CredentialLookup;
  cache?: TagsCache;
  ttlSeconds?: number;
  /** Ask the registry even when the cache is fresh. */
  refresh?: boolean;
  now?: () => Date;
  fetch?: FetchLike;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TagLookupResult {
  /** The registry that answered, as the user names it. */
  registry: string;
  path: string;
  /** Newest first. */
  tags: string[];
  fetchedAt: string;
  /** "stale-cache": no registry answered; this is the last list seen. */
  source: "registry" | "cache" | "stale-cache";
  /** Registries tried before the one that answered (or all, for a stale answer). */
  failures: RegistryFailure[];
}

/**
 * The tags of an image's repository, from the first registry (in order) that answers, through
 * a cache that expires after `ttlSeconds`. When none answers, the last list seen is better than
 * nothing (offline use), and says so.
 */
export async function lookupTags(
  name: string,
  options: TagLookupOptions,
): Promise<TagLookupResult> {
  // A tag or digest in the name does not matter for listing tags.
  const parsed = parseImageReference(name);
  const bare = formatImageReference({ registry: parsed.registry, path: parsed.path });
  const now = options.now ?? (() => new Date());
  const ttl = options.ttlSeconds ?? DEFAULT_TAGS_TTL_SECONDS;
  const failures: RegistryFailure[] = [];
  let stale: TagLookupResult | undefined;
  for (const candidate of pullCandidates(resolveImageArgument(bare), options.registries)) {
    const registry = formatRegistrySpec(candidate.registry);
    const baseUrl = apiBaseUrl(candidate.registry);
    const cached = await options.cache?.read(baseUrl, candidate.path);
    if (cached && !options.refresh && isFresh(cached, ttl, now())) {
      return { ...cached, tags: sortTags(cached.tags), source: "cache", failures };
    }
    try {
      const credentials = await options.credentials?.(candidate.registry.host);
      const http = new RegistryHttp(baseUrl, registry, {
        ...(credentials ? { credentials } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const tags = await listTags(http, candidate.path);
      const entry = { registry, path: candidate.path, tags, fetchedAt: now().toISOString() };
      // A cache that cannot be written costs a later round trip, nothing more.
      await options.cache?.write(baseUrl, entry).catch(() => undefined);
      return { ...entry, tags: sortTags(tags), source: "registry", failures };
    } catch (err) {
      if (!shouldTryNext(err)) throw err;
      failures.push({ registry, error: err });
      if (cached && !stale) {
        stale = { ...cached, tags: sortTags(cached.tags), source: "stale-cache", failures };
      }
    }
  }
  if (stale) return stale;
  throw combineFailures(`Listing the tags of ${bare} failed`, failures, "REGISTRY_ERROR");
}
