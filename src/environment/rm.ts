import { forgetEnvironment } from "../access/forget-environment.js";
import { type LocalEnvironment, localEnvironment } from "../access/local-environments.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import { isModelboxDevError, ModelboxDevError } from "../errors.js";
import { getEnvironment } from "./find.js";
import { assertOwnedOrForced } from "./owner.js";
import { nameBusy } from "./name-lock.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { RmOptions, RmResult } from "./types.js";
import { volumesOf } from "./volumes.js";

/**
 * `rm NAME`: the container goes, with its ~/.ssh/config entry, generated key and host keys;
 * host directories it mounted stay, and so do its volumes (root's home) unless `volumes` is
 * asked for, as `docker compose down` keeps them without `--volumes`. A name whose container was
 * removed or renamed with docker (`ls` lists its local state as stale) gets its key directory
 * and entry cleaned; with `volumes`, the volumes a gone environment left go too.
 */
export async function rm(options: RmOptions, context?: OperationContext): Promise<RmResult> {
  const { engine, emit } = resolveContext(context);
  const found = await environmentOrLeftovers(engine, options);
  if (!("container" in found)) return removeLeftovers(engine, options, found);
  const c = found.container;
  assertOwnedOrForced(c, "rm", options.force);
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
  const names = (await volumesOf(engine, c.name)).map((v) => v.name);
  if (options.volumes) for (const name of names) await engine.removeVolume(name);
  return {
    ok: true,
    name: c.name,
    id: c.id,
    removed: true,
    forgotten: local,
    volumes: options.volumes ? { kept: [], removed: names } : { kept: names, removed: [] },
  };
}

interface Leftovers {
  /** Its key directory and ~/.ssh/config entry, when this host still has them. */
  stale?: LocalEnvironment;
  /** Volumes of an environment that is gone (kept by an earlier `rm`). */
  volumes: string[];
  /** Why a container of that name was left alone. */
  note?: string;
}

/** The environment, or what a name left behind once its container went. */
async function environmentOrLeftovers(
  engine: ContainerEngine,
  options: RmOptions,
): Promise<{ container: ContainerDetails } | Leftovers> {
  const { name } = options;
  try {
    return { container: await getEnvironment(engine, name) };
  } catch (err) {
    const code = isModelboxDevError(err) ? err.code : undefined;
    if (code !== "NOT_FOUND" && code !== "NOT_MANAGED") throw err;
    const stale = await localEnvironment(name);
    const volumes = code === "NOT_FOUND" ? (await volumesOf(engine, name)).map((v) => v.name) : [];
    // Without local state, only `rm NAME --volumes` has something to do.
    if (!stale && !(options.volumes && volumes.length > 0)) throw err;
    return {
      ...(stale ? { stale } : {}),
      volumes,
      ...(code === "NOT_MANAGED"
        ? { note: `The container named ${name} is not modelbox-dev's; it was left alone.` }
        : {}),
    };
  }
}

/** Cleans what a gone environment left: its local state, and its volumes when asked. */
async function removeLeftovers(
  engine: ContainerEngine,
  options: RmOptions,
  left: Leftovers,
): Promise<RmResult> {
  const { name } = options;
  if (left.stale && (await nameBusy(name))) {
    throw new ModelboxDevError(
      "NAME_TAKEN",
      `An up of ${JSON.stringify(name)} is under way; its key and ~/.ssh/config entry are not stale.`,
      `Wait for it to finish, then 'modelbox-dev rm ${name}' removes the environment with them.`,
    );
  }
  if (left.stale) await forgetEnvironment(name);
  if (options.volumes) for (const volume of left.volumes) await engine.removeVolume(volume);
  return {
    ok: true,
    name,
    removed: false,
    forgotten: left.stale ?? { name },
    volumes: options.volumes
      ? { kept: [], removed: left.volumes }
      : { kept: left.volumes, removed: [] },
    ...(left.note ? { note: left.note } : {}),
  };
}
