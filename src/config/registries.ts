import {
  DEFAULT_REGISTRY,
  parseRegistrySpec,
  type RegistrySpec,
} from "../registry/registry-spec.js";
import { ModelboxDevError } from "../errors.js";
import { userConfigPath } from "./paths.js";
import type { UserConfig } from "./user-config.js";

/**
 * The registries to use, in order: `--registry` values (repeatable, or comma-separated), else
 * the config file's `registries`, else Docker Hub's `docker.io/modelbox`.
 */
export function effectiveRegistries(
  flagValues: readonly string[] | undefined,
  config: UserConfig,
): RegistrySpec[] {
  const fromFlags = (flagValues ?? []).flatMap((v) => v.split(",")).map((v) => v.trim());
  if (fromFlags.some((v) => v !== "")) {
    return fromFlags.filter((v) => v !== "").map((v) => parseRegistrySpec(v));
  }
  if (config.registries) {
    return config.registries.map((v) => {
      try {
        return parseRegistrySpec(v);
      } catch (err) {
        if (!(err instanceof ModelboxDevError)) throw err;
        throw new ModelboxDevError(
          "INVALID_CONFIG",
          `${err.message.replace(/\.$/, "")} (in ${userConfigPath()}, "registries").`,
          err.hint,
        );
      }
    });
  }
  return [DEFAULT_REGISTRY];
}
