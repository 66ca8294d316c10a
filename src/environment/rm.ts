import { forgetEnvironment } from "../access/forget-environment.js";
import type { ContainerEngine } from "../engine/types.js";
import { isModelboxDevError, ModelboxDevError } from "../errors.js";
import { getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { RmOptions, RmResult } from "./types.js";
import { volumesOf } from "./volumes.js";

/**
 * `rm NAME`: the container goes, with its ~/.ssh/config entry, generated key and host keys;
 * host directories it mounted stay, and so do its volumes (root's home) unless `volumes` is
 * asked for, as `docker compose down` keeps them without `--volumes`.
 */
export async function rm(options: RmOptions, context?: OperationContext): Promise<RmResult> {
  const { engine, emit } = resolveContext(context);
  const c = await getEnvironment(engine, options.name).catch(async (err: unknown) => {
    // `rm NAME --volumes` after a plain `rm NAME`: the environment is gone, its volumes are not.
    if (!options.volumes || !isModelboxDevError(err) || err.code !== "NOT_FOUND") throw err;
    const left = await volumesOf(engine, options.name);
    if (left.length === 0) throw err;
    return undefined;
  });
  if (!c) return removeLeftVolumes(engine, options.name);
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
  const names = (await volumesOf(engine, c.name)).map((v) => v.name);
  if (options.volumes) for (const name of names) await engine.removeVolume(name);
  return {
    ok: true,
    name: c.name,
    id: c.id,
    removed: true,
    volumes: options.volumes ? { kept: [], removed: names } : { kept: names, removed: [] },
  };
}

/** The volumes an environment that is gone left behind (kept by an earlier `rm`). */
async function removeLeftVolumes(engine: ContainerEngine, name: string): Promise<RmResult> {
  const names = (await volumesOf(engine, name)).map((v) => v.name);
  for (const volume of names) await engine.removeVolume(volume);
  return { ok: true, name, removed: false, volumes: { kept: [], removed: names } };
}
