import { EngineCallError } from "../../engine/types.js";
import { ModelboxDevError } from "../../errors.js";
import { type PortListenCheck, listenCheck } from "../../host/probe-ports.js";
import { LABELS } from "../../labels.js";
import type { StepId } from "../../plan/types.js";
import { bindingsByPurpose } from "../../published-ports.js";
import { parseRegistrySpec } from "../../registry/registry-spec.js";
import { imageFacts, imageFactsLabels } from "../image-facts.js";
import { obtainWithEvents } from "../obtain-with-events.js";
import { preflightDisk, preflightImage } from "../preflight.js";
import { reachOf, withPort } from "../reach.js";
import { waitForRunning, waitForSshBanner } from "../readiness.js";
import { toContainerSpec } from "../to-container-spec.js";
import { type Execution, removeCreatedVolumes } from "./execution.js";
import { beginEarlyWork, loadAfterStart } from "./after-start.js";
import { translateStartError } from "./failures.js";
import { type PortTakenError, assertPortsFree, portTaken, takenPortIn } from "./port-conflicts.js";
import { type StepHandler, done, skipped } from "./run-steps.js";

const KEPT = "the environment exists with these options";

const pull: StepHandler = async (x) => {
  if (x.reuse) return skipped(KEPT);
  const { plan, ctx, facts } = x;
  const { engine } = ctx;
  ctx.log(`Checking image ${plan.image}…`);
  const policy = plan.execution.pull;
  const present = policy === "always" ? undefined : await engine.inspectImage(plan.image);
  if (!present) x.warnings.push(...preflightDisk(facts).map((w) => w.message));
  let image = present;
  if (!image) {
    const { credentialLookup } = await import("../../registry/credentials.js");
    image = await obtainWithEvents(engine, plan.image, {
      policy,
      registries: plan.execution.registries.map(parseRegistrySpec),
      credentials: credentialLookup(),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      emit: ctx.emit,
    });
  }
  x.warnings.push(...preflightImage(plan, image, facts).map((w) => w.message));
  x.image = image;
  return done(
    present ? `present (${present.id.slice(0, 19)})` : `pulled (${image.id.slice(0, 19)})`,
  );
};

/**
 * Another process created a container of this name between this `up`'s look and its create
 * (another user's `up`, which the per-user lock does not hold back, or `docker run`).
 */
export class NameRaceError extends ModelboxDevError {
  constructor(readonly environment: string) {
    super(
      "NAME_TAKEN",
      `The name ${environment} was taken while creating the environment.`,
      `Another process created a container with this name at the same moment: run 'modelbox-dev up ${environment}' again to use it, or pick another name.`,
    );
  }
}

/**
 * The named volumes (root's home): ours are used as they are, a new one is made with its labels
 * (the engine fills it from the image at the first mount); a volume of that name that is not
 * this environment's is refused.
 */
const volume: StepHandler = async (x) => {
  if (x.reuse) return skipped(KEPT);
  const { engine } = x.ctx;
  const said: string[] = [];
  for (const v of x.plan.volumes) {
    const found = await engine.inspectVolume(v.name);
    if (found) {
      if (found.labels[LABELS.managed] !== "true" || found.labels[LABELS.name] !== x.plan.name) {
        throw new ModelboxDevError(
          "VOLUME_TAKEN",
          `A volume named ${v.name} exists and does not belong to the environment ${x.plan.name}.`,
          "Remove or rename that volume if it is no longer needed, or keep /root in the container with --no-home-volume.",
        );
      }
      said.push(`${v.name} kept from before`);
      continue;
    }
    await engine.createVolume(v.name, v.labels);
    x.createdVolumes.push(v.name);
    said.push(`${v.name} made`);
  }
  return done(said.join(", "));
};

/** The container the plan describes, with the image facts as labels; a name race is NAME_TAKEN. */
export async function createContainer(
  x: Execution,
  canListen: PortListenCheck = listenCheck,
): Promise<string> {
  const { plan, ctx } = x;
  try {
    await assertPortsFree(ctx.engine, plan, listenCheckFor(x, canListen));
    x.containerId = await ctx.engine.createContainer(
      toContainerSpec(
        plan,
        x.image ? imageFactsLabels(imageFacts(plan.image, x.image)) : {},
        x.secrets.env,
      ),
    );
    return x.containerId;
  } catch (err) {
    await removeCreatedVolumes(x);
    if (err instanceof EngineCallError && err.statusCode === 409)
      throw new NameRaceError(plan.name);
    throw (await portConflict(x, err)) ?? translateStartError(err);
  }
}

/** An engine refusal that names one of the plan's host ports as taken, as a PortTakenError. */
async function portConflict(x: Execution, err: unknown): Promise<PortTakenError | undefined> {
  const port = takenPortIn(err);
  return port === undefined
    ? undefined
    : portTaken(x.ctx.engine, x.plan, port, err, listenCheckFor(x, listenCheck));
}

/**
 * Binding here says nothing about a remote engine's host: its ports were read by the probe, and
 * its engine reports a clash at create or start (then named by the containers that hold it).
 */
function listenCheckFor(x: Execution, canListen: PortListenCheck): PortListenCheck {
  return x.facts.remote ? () => Promise.resolve(true) : canListen;
}

const create: StepHandler = async (x) => {
  if (x.reuse) return skipped(KEPT);
  return done((await createContainer(x)).slice(0, 12));
};

/** A kept environment gets the plan's restart policy in place (no recreate needed for it). */
async function applyRestartPolicy(x: Execution): Promise<void> {
  const existing = x.existing;
  if (!existing) return;
  const want = x.plan.restartPolicy;
  const have = existing.restartPolicy ?? { name: "no" };
  if (have.name === want.name && (have.maximumRetryCount ?? 0) === (want.maximumRetryCount ?? 0)) {
    return;
  }
  await x.ctx.engine.updateRestartPolicy(existing.id, want);
  x.notes.push(
    `Restart policy of ${x.plan.name} changed from ${formatPolicy(have)} to ${formatPolicy(want)}.`,
  );
}

const formatPolicy = (p: { name: string; maximumRetryCount?: number }) =>
  p.maximumRetryCount ? `${p.name}:${p.maximumRetryCount}` : p.name;

const start: StepHandler = async (x) => {
  const { ctx, plan } = x;
  // Loads while the engine starts the container; the steps after it use it.
  loadAfterStart().catch(() => undefined);
  if (x.reuse) {
    await applyRestartPolicy(x);
    if (x.existing?.status === "running") return skipped("already running");
    ctx.log(`Starting the existing environment ${plan.name}…`);
    await ctx.engine.startContainer(containerIdOf(x)).catch((err: unknown) => {
      throw translateStartError(err);
    });
    return done();
  }
  ctx.log(`Starting ${plan.name}…`);
  try {
    await ctx.engine.startContainer(containerIdOf(x));
  } catch (err) {
    throw (await portConflict(x, err)) ?? err;
  }
  return done();
};

function containerIdOf(x: Execution): string {
  const id = x.containerId ?? x.existing?.id;
  if (!id) throw new Error(`up: no container for ${x.plan.name}`);
  return id;
}

function waitContext(x: Execution) {
  return {
    engine: x.ctx.engine,
    containerId: containerIdOf(x),
    deadline: Date.now() + x.plan.execution.timeoutSeconds * 1000,
    ...(x.ctx.signal ? { signal: x.ctx.signal } : {}),
  };
}

const waitRunning: StepHandler = async (x) => {
  const wait = waitContext(x);
  x.readinessDeadline = wait.deadline;
  // Its inspection as it runs: the published ports, for the steps after.
  x.container = await waitForRunning(wait);
  await beginEarlyWork(x);
  return done();
};

const waitSshd: StepHandler = async (x) => {
  const check = x.plan.readiness.find((r) => r.kind === "ssh-banner");
  if (!check || check.kind !== "ssh-banner") return skipped("no SSH port");
  // The port the engine really published (the plan's, unless the engine picked another).
  const published = x.container ? bindingsByPurpose(x.container).ssh : undefined;
  const port = published?.hostPort ?? check.port;
  x.ctx.log(`Waiting for sshd on port ${port}…`);
  const planned = x.plan.ports.find((p) => p.purpose === "ssh");
  const wait = { ...waitContext(x), deadline: x.readinessDeadline ?? Date.now() };
  const reach = reachOf(x.ctx.engine.connection, published?.hostIp ?? planned?.hostIp);
  const banner = await withPort(
    reach,
    port,
    (at) => waitForSshBanner(wait, at.host, at.port),
    x.ctx.signal,
  );
  return done(banner);
};

/** The steps that make and start the container, and wait for it to answer. */
export const CONTAINER_STEPS: Partial<Record<StepId, StepHandler>> = {
  pull,
  volume,
  create,
  start,
  "wait-running": waitRunning,
  "wait-sshd": waitSshd,
};
