import { LABELS } from "../labels.js";
import { acceleratorReports } from "./accelerators.js";
import { invokingUser, ownerOf } from "./owner.js";
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
  const me = options.mine ? invokingUser() : undefined;
  const listed = (await listEnvironments(engine, options.all ?? false)).filter(
    (c) => me === undefined || ownerOf(c) === me,
  );
  // Inspect says what the list does not: the devices each holds, a stopped one's ports.
  const inspected = await Promise.all(listed.map((c) => engine.inspectContainer(c.id)));
  const list = inspected.filter((c): c is NonNullable<typeof c> => c !== undefined);
  const accelerators = await acceleratorReports(list, options.gpus);
  return {
    ok: true,
    environments: list.map((c, i) => ({
      name: c.name,
      id: c.id,
      state: c.status,
      image: c.labels[LABELS.image] ?? c.image,
      ...(ownerOf(c) ? { owner: ownerOf(c) } : {}),
      accelerators: accelerators[i] ?? { gpus: [], npuChips: [] },
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
