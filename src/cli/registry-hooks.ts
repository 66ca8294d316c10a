import { join } from "node:path";
import { type CredentialLookup, credentialLookup } from "../registry/credentials.js";
import type { RegistrySpec } from "../registry/registry-spec.js";
import { fileTagsCache, type TagsCache } from "../registry/tags-cache.js";
import { cacheDir } from "../config/paths.js";
import { effectiveRegistries } from "../config/registries.js";
import { type UserConfig, loadUserConfig } from "../config/user-config.js";
import type { ContainerEngine } from "../engine/types.js";
import { type ObtainedImage, type PullPolicy, obtainImage } from "../registry/obtain-image.js";
import type { UpSettings } from "../environment/up.js";
import { progressMode, pullReporter } from "./pull-progress.js";

/** The options this area adds to commands (`--registry` is repeatable). */
export interface RegistryFlags {
  registry?: string[];
  json?: boolean;
}

export interface RegistryContext {
  config: UserConfig;
  registries: RegistrySpec[];
  credentials: CredentialLookup;
  tagsCache: TagsCache;
}

export async function registryContext(flags: RegistryFlags): Promise<RegistryContext> {
  const config = await loadUserConfig();
  return {
    config,
    registries: effectiveRegistries(flags.registry, config),
    credentials: credentialLookup(),
    tagsCache: fileTagsCache(join(cacheDir(), "tags")),
  };
}

/**
 * Runs `fn` with a signal that Ctrl-C aborts (the error it then throws is INTERRUPTED, which
 * main.ts turns into exit status 130). A second Ctrl-C meets Node's default handler and ends the
 * process at once.
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}

/** Pulls (per policy) with the registries, credentials and progress display of the CLI. */
export async function pullForCli(
  engine: ContainerEngine,
  image: string,
  flags: RegistryFlags & { policy: PullPolicy },
): Promise<ObtainedImage> {
  const context = await registryContext(flags);
  const reporter = pullReporter(image, progressMode(flags.json, process.stderr), process.stderr);
  return withInterrupt(async (signal) => {
    try {
      const obtained = await obtainImage(engine, image, {
        policy: flags.policy,
        registries: context.registries,
        credentials: context.credentials,
        onProgress: (event) => reporter.progress(event),
        onAttempt: (attempt) => reporter.attempt(attempt),
        signal,
      });
      reporter.done(obtained.source);
      return obtained;
    } catch (err) {
      reporter.done();
      throw err;
    }
  });
}

function isPullPolicy(value: unknown): value is PullPolicy {
  return value === "missing" || value === "always" || value === "never";
}

/**
 * Where registries, mirrors and pull progress plug into `up`: `obtainImage` makes the planned
 * image present from the configured registries, showing progress, and records which registry
 * served it (its digest comes first in RepoDigests, which the environment's labels keep).
 */
export function registrySettingsForUp(
  engine: ContainerEngine,
  flags: Record<string, unknown>,
): Pick<UpSettings, "obtainImage"> {
  const registry = Array.isArray(flags.registry)
    ? flags.registry.filter((r): r is string => typeof r === "string")
    : undefined;
  // A bad --registry is refused now, even when the image turns out to be present.
  effectiveRegistries(registry, {});
  const policy = isPullPolicy(flags.pull) ? flags.pull : "missing";
  return {
    obtainImage: (image) =>
      pullForCli(engine, image, {
        policy,
        ...(registry ? { registry } : {}),
        ...(flags.json === true ? { json: true } : {}),
      }),
  };
}
