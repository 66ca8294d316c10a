import { forgetEnvironment } from "../access/forget-environment.js";
import { ModelboxDevError } from "../errors.js";
import { getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { RmOptions, RmResult } from "./types.js";

/**
 * `rm NAME`: the container goes, with its ~/.ssh/config entry, generated key and host keys;
 * host directories it mounted stay.
 */
export async function rm(options: RmOptions, context?: OperationContext): Promise<RmResult> {
  const { engine, emit } = resolveContext(context);
  const c = await getEnvironment(engine, options.name);
  if (c.status === "running" && !options.force) {
    throw new ModelboxDevError(
      "IS_RUNNING",
      `Environment ${JSON.stringify(options.name)} is running.`,
      `Stop it first ('modelbox-dev stop ${options.name}'), or remove it anyway with 'modelbox-dev rm --force ${options.name}'.`,
    );
  }
  await engine.removeContainer(c.id, { force: options.force ?? false });
  try {
    await forgetEnvironment(c.name);
  } catch (err) {
    emit({ type: "warning", message: err instanceof Error ? err.message : String(err) });
  }
  return { ok: true, name: c.name, id: c.id, removed: true };
}
