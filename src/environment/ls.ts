import { type LocalEnvironment, localEnvironments } from "../access/local-environments.js";
import { LABELS } from "../labels.js";
import { reportsOfHeld } from "./accelerators.js";
import { invokingUser, ownerOf } from "./owner.js";
import { acceleratorsOf, portsByPurpose } from "./describe.js";
import { listEnvironments } from "./find.js";
import { completedFromInspection } from "./known-facts.js";
import { readFixedFacts } from "./fixed-facts-cache.js";
import { nameBusy } from "./name-lock.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { ContainerEngine, ContainerSummary } from "../engine/types.js";
import type { EnvironmentSummary, LsOptions, LsResult } from "./types.js";
import { orphanVolumes } from "./volumes.js";

/** What any engine's list says of an environment (the devices it holds need its inspection). */
export type EnvironmentOnHost = Omit<EnvironmentSummary, "accelerators">;

/** One line of `ls`: what the environment is and which image it really runs. */
export function environmentSummary(c: ContainerSummary): EnvironmentOnHost {
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
  return withBoundPorts(engine, await listEnvironments(engine, all));
}

/** The list shows ports only while a container runs: a stopped one is asked what it binds. */
function withBoundPorts(
  engine: ContainerEngine,
  listed: ContainerSummary[],
): Promise<ContainerSummary[]> {
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
  const me = options.mine ? invokingUser() : undefined;
  // This host's files are read while the engine answers: they do not depend on its list.
  const local = localEnvironments();
  const cached = readFixedFacts(engine.connection.url);
  local.catch(() => undefined); // awaited below, unless the list fails first
  const every = await listEnvironments(engine, true);
  const listed = every.filter(
    (c) => (options.all || c.status === "running") && (me === undefined || ownerOf(c) === me),
  );
  const list = await completedFromInspection(engine, listed, every, cached);
  const accelerators = await reportsOfHeld(
    list.map((e) => e.held),
    options.gpus,
  );
  return {
    ok: true,
    stale: await staleLocalState(every, await local),
    environments: list.map(({ c }, i) => ({
      ...environmentSummary(c),
      ...(ownerOf(c) ? { owner: ownerOf(c) } : {}),
      accelerators: accelerators[i] ?? { gpus: [], npuChips: [] },
    })),
    ...(options.volumes ? { orphanVolumes: await orphanVolumes(engine) } : {}),
  };
}

/**
 * Local state (key directory, ~/.ssh/config entry) of names with no environment on this engine:
 * its container was removed or renamed with docker. A name an `up` is working on right now is
 * not stale, only not created yet.
 */
async function staleLocalState(
  environments: ContainerSummary[],
  local: LocalEnvironment[],
): Promise<LocalEnvironment[]> {
  const names = new Set(environments.map((c) => c.name));
  const orphans = local.filter((l) => !names.has(l.name));
  const busy = await Promise.all(orphans.map((l) => nameBusy(l.name)));
  return orphans.filter((_, i) => !busy[i]);
}
