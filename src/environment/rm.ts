import { forgetEnvironment } from "../access/forget-environment.js";
import { type LocalEnvironment, localEnvironment } from "../access/local-environments.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { getEnvironment } from "./find.js";
import { nameBusy } from "./name-lock.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { RmOptions, RmResult } from "./types.js";

/**
 * `rm NAME`: the container goes, with its ~/.ssh/config entry, generated key and host keys;
 * host directories it mounted stay. A name whose container was removed or renamed with docker
 * (`ls` lists its local state as stale) gets its key directory and entry cleaned.
 */
export async function rm(options: RmOptions, context?: OperationContext): Promise<RmResult> {
  const { engine, emit } = resolveContext(context);
  const found = await environmentOrStale(engine, options.name);
  if ("stale" in found) return forgetStale(options.name, found.stale, found.note);
  const c = found.container;
  if (c.status === "running" && !options.force) {
    throw new ModelboxDevError(
      "IS_RUNNING",
      `Environment ${JSON.stringify(options.name)} is running.`,
      `Stop it first ('modelbox-dev stop ${options.name}'), or remove it anyway with 'modelbox-dev rm --force ${options.name}'.`,
    );
  }
  const local = (await localEnvironment(c.name)) ?? { name: c.name };
  await engine.removeContainer(c.id, { force: options.force ?? false });
  try {
    await forgetEnvironment(c.name);
  } catch (err) {
    emit({ type: "warning", message: err instanceof Error ? err.message : String(err) });
  }
  return { ok: true, name: c.name, id: c.id, removed: true, forgotten: local };
}

type Found = { container: ContainerDetails } | { stale: LocalEnvironment; note?: string };

/** The environment, or the local state a name kept after its container went behind our back. */
async function environmentOrStale(engine: ContainerEngine, name: string): Promise<Found> {
  try {
    return { container: await getEnvironment(engine, name) };
  } catch (err) {
    const code = err instanceof ModelboxDevError ? err.code : undefined;
    if (code !== "NOT_FOUND" && code !== "NOT_MANAGED") throw err;
    const stale = await localEnvironment(name);
    if (!stale) throw err;
    return code === "NOT_MANAGED"
      ? { stale, note: `The container named ${name} is not modelbox-dev's; it was left alone.` }
      : { stale };
  }
}

/** Cleans a stale name's local state, unless an `up` of that name is creating it right now. */
async function forgetStale(
  name: string,
  stale: LocalEnvironment,
  note: string | undefined,
): Promise<RmResult> {
  if (await nameBusy(name)) {
    throw new ModelboxDevError(
      "NAME_TAKEN",
      `An up of ${JSON.stringify(name)} is under way; its key and ~/.ssh/config entry are not stale.`,
      `Wait for it to finish, then 'modelbox-dev rm ${name}' removes the environment with them.`,
    );
  }
  await forgetEnvironment(name);
  return { ok: true, name, removed: false, forgotten: stale, ...(note ? { note } : {}) };
}
