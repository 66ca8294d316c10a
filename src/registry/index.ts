export {
  DEFAULT_NAMESPACE,
  DEFAULT_REGISTRY,
  DOCKER_HUB,
  apiBaseUrl,
  formatRegistrySpec,
  isDockerHub,
  isLoopbackHost,
  parseRegistrySpec,
  type RegistrySpec,
} from "./registry-spec.js";
export {
  familiarRepository,
  modelboxRepositoryName,
  pullCandidates,
  resolveImageArgument,
  withReleaseTag,
  type PullCandidate,
} from "./image-source.js";
export {
  credentialLookup,
  dockerConfigPath,
  lookupCredentials,
  realDockerConfig,
  runCredentialHelper,
  type CredentialLookup,
  type DockerConfigSource,
  type HelperAnswer,
  type RegistryCredentials,
} from "./credentials.js";
export { RegistryHttp, type FetchLike, type RegistryHttpOptions } from "./registry-http.js";
export { listTags, nextLink, sortTags } from "./list-tags.js";
export { manifestDigest } from "./manifest-digest.js";
export { lookupTags, type TagLookupOptions, type TagLookupResult } from "./lookup-tags.js";
export {
  DEFAULT_TAGS_TTL_SECONDS,
  fileTagsCache,
  isFresh,
  type CachedTags,
  type TagsCache,
} from "./tags-cache.js";
export { combineFailures, shouldTryNext, type RegistryFailure } from "./failures.js";
export {
  pullError,
  pullFailureKind,
  type PullErrorContext,
  type PullFailureKind,
} from "./classify-pull-error.js";
export {
  PullTracker,
  formatBytes,
  formatDuration,
  type LayerProgress,
  type LayerState,
  type PullEvent,
  type PullSnapshot,
} from "./pull-tracker.js";
export { parseWwwAuthenticate, type AuthChallenge } from "./www-authenticate.js";
export {
  checkImageDigest,
  type DigestCheck,
  type DigestCheckOptions,
  type DigestStatus,
} from "./check-digest.js";
