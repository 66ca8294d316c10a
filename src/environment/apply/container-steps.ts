import { EngineCallError } from "../../engine/types.js";
import { ModelboxDevError } from "../../errors.js";
import { type PortListenCheck, listenCheck } from "../../host/probe-ports.js";
import { LABELS } from "../../labels.js";
import type { Plan, StepId } from "../../plan/types.js";
import { parseRegistrySpec } from "../../registry/registry-spec.js";
import { imageFacts, imageFactsLabels } from "../image-facts.js";
import { obtainWithEvents } from "../obtain-with-events.js";
import { preflightDisk, preflightImage } from "../preflight.js";
import { reachableAddress, waitForRunning, waitForSshBanner } from "../readiness.js";
import { toContainerSpec } from "../to-container-spec.js";
import { type Execution, removeCreatedVolumes } from "./execution.js";
import { translateStartError } from "./failures.js";
import { type StepHandler, done, skipped } from "./run-steps.js";

const KEPT = "the environment exists with these options";

/**
 * The last check before create: every host TCP port of the plan can be bound right now. Facts
 * may be older than this moment, or may not have covered a port.
 */
async function assertPortsFree(plan: Plan, canListen: PortListenCheck): Promise<void> {
  const wanted = [
    ...plan.ports.map((p) => ({ ...p, flag: `--${p.purpose}-port` })),
    ...plan.publish.filter((p) => p.protocol === "tcp").map((p) => ({ ...p, flag: "--publish" })),
  ];
  for (const p of wanted) {
    if (!(await canListen(p.hostPort, p.hostIp || "0.0.0.0"))) {
      throw new ModelboxDevError(
        "PORT_IN_USE",
        `Host port ${p.hostPort} (${p.flag}) is already in use.`,
        `Choose another port with ${p.flag}, or stop what holds it ('ss -ltnp | grep :${p.hostPort}' shows it).`,
      );
    }
  }
}

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

const replace: StepHandler = async (x) => {
  if (!x.existing) return skipped(`there is no ${x.plan.name} yet`);
  x.ctx.log(`Removing the old ${x.plan.name} (--recreate)…`);
  await x.ctx.engine.removeContainer(x.existing.id, { force: true });
  return done(`removed ${x.existing.id.slice(0, 12)}`);
};

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
    await assertPortsFree(plan, canListen);
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
    if (err instanceof EngineCallError && err.statusCode === 409) {
      throw new ModelboxDevError(
        "NAME_TAKEN",
        `The name ${plan.name} was taken while creating the environment.`,
        "Another process created a container with this name; pick another name.",
      );
    }
    throw translateStartError(err);
  }
}

const create: StepHandler = async (x) => {
  if (x.reuse) return skipped(KEPT);
  return done((await createContainer(x)).slice(0, 12));
};

const start: StepHandler = async (x) => {
  const { ctx, plan } = x;
  if (x.reuse) {
    if (x.existing?.status === "running") return skipped("already running");
    ctx.log(`Starting the existing environment ${plan.name}…`);
    await ctx.engine.startContainer(containerIdOf(x)).catch((err: unknown) => {
      throw translateStartError(err);
    });
    return done();
  }
  ctx.log(`Starting ${plan.name}…`);
  await ctx.engine.startContainer(containerIdOf(x));
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
  await waitForRunning(wait);
  const container = await x.ctx.engine.inspectContainer(wait.containerId);
  if (!container) {
    throw new ModelboxDevError("START_FAILED", "The container disappeared after start.");
  }
  x.container = container;
  return done();
};

const waitSshd: StepHandler = async (x) => {
  const check = x.plan.readiness.find((r) => r.kind === "ssh-banner");
  if (!check || check.kind !== "ssh-banner") return skipped("no SSH port");
  x.ctx.log(`Waiting for sshd on port ${check.port}…`);
  const port = x.plan.ports.find((p) => p.purpose === "ssh");
  const wait = { ...waitContext(x), deadline: x.readinessDeadline ?? Date.now() };
  const banner = await waitForSshBanner(wait, reachableAddress(port?.hostIp ?? ""), check.port);
  return done(banner);
};

/** The steps that make and start the container, and wait for it to answer. */
export const CONTAINER_STEPS: Partial<Record<StepId, StepHandler>> = {
  pull,
  replace,
  volume,
  create,
  start,
  "wait-running": waitRunning,
  "wait-sshd": waitSshd,
};
