import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import type { UpSettings } from "../environment/up.js";

/**
 * Where SSH access and developer mode plug into the commands. `up` runs `afterReady` once the
 * environment answers; its report may carry `ssh`/`editor` objects (merged into --json output)
 * and `summaryLines` (printed for humans).
 */
export function accessSettingsForUp(
  _flags: Record<string, unknown>,
): Pick<UpSettings, "afterReady"> {
  return {};
}

/** After `start` of a stopped environment. */
export async function afterStart(
  _engine: ContainerEngine,
  _container: ContainerDetails,
  _flags: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return Promise.resolve({});
}

/** After `rm`. */
export async function afterRemove(_container: ContainerDetails): Promise<void> {
  return Promise.resolve();
}
