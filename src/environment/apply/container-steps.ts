import { EngineCallError, type ImageDetails } from "../../engine/types.js";
import { ModelboxDevError } from "../../errors.js";
import { type PortListenCheck, listenCheck } from "../../host/probe-ports.js";
import { LABELS } from "../../labels.js";
import type { Plan, StepId } from "../../plan/types.js";
import { parseRegistrySpec } from "../../registry/registry-spec.js";
import { obtainWithEvents } from "../obtain-with-events.js";
import { preflightDisk, preflightImage } from "../preflight.js";
import { reachOf, withPort } from "../reach.js";
import { waitForRunning, waitForSshBanner } from "../readiness.js";
import { toContainerSpec } from "../to-container-spec.js";
import type { Execution } from "./execution.js";
import { translateStartError } from "./failures.js";
import { type StepHandler, done, skipped } from "./run-steps.js";

const KEPT = "the environment exists with these options";

/** Image facts recorded on the environment (R9): which image it really runs. */
function imageLabels(image: ImageDetails): Record<string, string> {
  const labels: Record<string, string> = { [LABELS.imageId]: image.id };
  const digest = image.repoDigests[0];
  if (digest) labels[LABELS.imageDigest] = digest;
  // ModelBox's CUDA images carry the label with this spelling.
  const cuda = image.labels["com.nvidia.cuda.verison"] ?? image.labels["com.nvidia.cuda.version"];
  if (cuda) labels[LABELS.cudaVersion] = cuda;
  const version = image.labels["org.opencontainers.image.version"];
  if (version) labels[LABELS.imageVersion] = version;
  return labels;
}

/**
 * The last check before create: every host port of the plan can be bound right now. Facts may
 * be older than this moment, or may not have covered a port.
 */
async function assertPortsFree(plan: Plan, canListen: PortListenCheck): Promise<void> {
  for (const p of plan.ports) {
    if (!(await canListen(p.hostPort, p.hostIp || "0.0.0.0"))) {
      throw new ModelboxDevError(
        "PORT_IN_USE",
        `Host port ${p.hostPort} (${p.purpose}) is already in use.`,
        `Choose another port with --${p.purpose}-port, or stop what holds it ('ss -ltnp | grep :${p.hostPort}' shows it).`,
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

/** The container the plan describes, with the image facts as labels; a name race is NAME_TAKEN. */
export async function createContainer(
  x: Execution,
  canListen: PortListenCheck = listenCheck,
): Promise<string> {
  const { plan, ctx } = x;
  // Binding here says nothing about a remote host: its ports were read by the probe, and its
  // engine reports a clash at create time.
  if (!x.facts.remote) await assertPortsFree(plan, canListen);
  try {
    x.containerId = await ctx.engine.createContainer(
      toContainerSpec(plan, x.image ? imageLabels(x.image) : {}),
    );
    return x.containerId;
  } catch (err) {
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
  const reach = reachOf(x.ctx.engine.connection, port?.hostIp);
  const banner = await withPort(
    reach,
    check.port,
    (at) => waitForSshBanner(wait, at.host, at.port),
    x.ctx.signal,
  );
  return done(banner);
};

/** The steps that make and start the container, and wait for it to answer. */
export const CONTAINER_STEPS: Partial<Record<StepId, StepHandler>> = {
  pull,
  replace,
  create,
  start,
  "wait-running": waitRunning,
  "wait-sshd": waitSshd,
};
