import { LABELS } from "../labels.js";
import { acceleratorsOf, portsByPurpose } from "./describe.js";
import { listEnvironments } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { LsOptions, LsResult } from "./types.js";
import { orphanVolumes } from "./volumes.js";

/**
 * `ls`: the environments (running ones; `all` for every one), found by their labels; with
 * `volumes`, also the volumes left by environments that are gone.
 */
export async function ls(options: LsOptions = {}, context?: OperationContext): Promise<LsResult> {
  const { engine } = resolveContext(context);
  const listed = await listEnvironments(engine, options.all ?? false);
  // The list shows ports only while a container runs: a stopped one is asked what it binds.
  const list = await Promise.all(
    listed.map(async (c) =>
      c.status === "running" ? c : ((await engine.inspectContainer(c.id)) ?? c),
    ),
  );
  return {
    ok: true,
    environments: list.map((c) => ({
      name: c.name,
      id: c.id,
      state: c.status,
      image: c.labels[LABELS.image] ?? c.image,
      ports: portsByPurpose(c),
      ...acceleratorsOf(c),
      created: c.created.toISOString(),
      ...(c.labels[LABELS.imageId] ? { imageId: c.labels[LABELS.imageId] } : {}),
      ...(c.labels[LABELS.imageDigest] ? { imageDigest: c.labels[LABELS.imageDigest] } : {}),
      ...(c.labels[LABELS.cudaVersion] ? { cudaVersion: c.labels[LABELS.cudaVersion] } : {}),
    })),
    ...(options.volumes ? { orphanVolumes: await orphanVolumes(engine) } : {}),
  };
}
