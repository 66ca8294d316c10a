import { join } from "node:path";
import { cacheDir } from "../config/paths.js";
import { effectiveRegistries } from "../config/registries.js";
import { type UserConfig, loadUserConfig } from "../config/user-config.js";
import { type CredentialLookup, credentialLookup } from "../registry/credentials.js";
import type { RegistrySpec } from "../registry/registry-spec.js";
import { type TagsCache, fileTagsCache } from "../registry/tags-cache.js";

/** What registry work needs: the user's config, the registries in order, credentials, a cache. */
export interface RegistryContext {
  config: UserConfig;
  registries: RegistrySpec[];
  credentials: CredentialLookup;
  tagsCache: TagsCache;
}

/** `registry`: `--registry` values (else the config file's, else Docker Hub). */
export async function registryContext(registry?: readonly string[]): Promise<RegistryContext> {
  const config = await loadUserConfig();
  return {
    config,
    registries: effectiveRegistries(registry, config),
    credentials: credentialLookup(),
    tagsCache: fileTagsCache(join(cacheDir(), "tags")),
  };
}
