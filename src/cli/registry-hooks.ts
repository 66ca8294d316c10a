import type { ContainerEngine } from "../engine/types.js";
import type { UpSettings } from "../environment/up.js";

/**
 * Where registries, mirrors and pull progress plug into `up`: `obtainImage` makes the planned
 * image present (default: a plain pull per --pull).
 */
export function registrySettingsForUp(
  _engine: ContainerEngine,
  _flags: Record<string, unknown>,
): Pick<UpSettings, "obtainImage"> {
  return {};
}
