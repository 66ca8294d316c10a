import { LABELS } from "../labels.js";
import { acceleratorsOf, portsByPurpose } from "./describe.js";
import { listEnvironments } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { ContainerEngine, ContainerSummary } from "../engine/types.js";
import type { EnvironmentSummary, LsOptions, LsResult } from "./types.js";
import { orphanVolumes } from "./volumes.js";

/** One line of `ls`: what the environment is and which image it really runs. */
export function environmentSummary(c: ContainerSummary): EnvironmentSummary {
  return {
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
  };
}

/** The environments on one engine, with their ports (a stopped one is asked what it binds). */
export async function listWithBoundPorts(
  engine: ContainerEngine,
  all: boolean,
): Promise<ContainerSummary[]> {
  const listed = await listEnvironments(engine, all);
  // The list shows ports only while a container runs.
  return Promise.all(
    listed.map(async (c) =>
      c.status === "running" ? c : ((await engine.inspectContainer(c.id)) ?? c),
    ),
  );
}

/**
 * `ls`: the environments (running ones; `all` for every one), found by their labels; with
 * `volumes`, also the volumes left by environments that are gone.
 */
export async function ls(options: LsOptions = {}, context?: OperationContext): Promise<LsResult> {
  const { engine } = resolveContext(context);
  const list = await listWithBoundPorts(engine, options.all ?? false);
  return {
    ok: true,
    environments: list.map(environmentSummary),
    ...(options.volumes ? { orphanVolumes: await orphanVolumes(engine) } : {}),
  };
}
