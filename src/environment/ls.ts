import type { ContainerSummary } from "../engine/types.js";
import { LABELS } from "../labels.js";
import { portsByPurpose } from "./describe.js";
import { listEnvironments } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { EnvironmentSummary, LsOptions, LsResult } from "./types.js";

/** One line of `ls`: what the environment is and which image it really runs. */
export function environmentSummary(c: ContainerSummary): EnvironmentSummary {
  return {
    name: c.name,
    id: c.id,
    state: c.status,
    image: c.labels[LABELS.image] ?? c.image,
    ports: portsByPurpose(c),
    created: c.created.toISOString(),
    ...(c.labels[LABELS.imageId] ? { imageId: c.labels[LABELS.imageId] } : {}),
    ...(c.labels[LABELS.imageDigest] ? { imageDigest: c.labels[LABELS.imageDigest] } : {}),
    ...(c.labels[LABELS.cudaVersion] ? { cudaVersion: c.labels[LABELS.cudaVersion] } : {}),
  };
}

/** `ls`: the environments (running ones; `all` for every one), found by their labels. */
export async function ls(options: LsOptions = {}, context?: OperationContext): Promise<LsResult> {
  const { engine } = resolveContext(context);
  const list = await listEnvironments(engine, options.all ?? false);
  return { ok: true, environments: list.map(environmentSummary) };
}
