import { restoreLocalState, snapshotLocalState } from "../access/local-state.js";
import type { ContainerDetails } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { specOf } from "../plan/spec-hash.js";
import { flagDifferences } from "../plan/spec-flags.js";
import type { PortUse } from "../host/facts.js";
import type { Plan, PlanStep } from "../plan/types.js";
import { ACCESS_STEPS, upResult } from "./apply/after-start.js";
import { CONTAINER_STEPS } from "./apply/container-steps.js";
import { type Execution, settleEarlyWork } from "./apply/execution.js";
import { withRollback } from "./apply/failures.js";
import { REPLACE_STEPS, putBack } from "./apply/replace-steps.js";
import { PortTakenError } from "./apply/port-conflicts.js";
import { runSteps } from "./apply/run-steps.js";
import {
  type OperationContext,
  type ResolvedContext,
  resolveContext,
  throwIfAborted,
} from "./operation.js";
import { existingSpec, matchesPlan } from "./existing-spec.js";
import { withNameLock } from "./name-lock.js";
import { retryingNameRaces } from "./name-race.js";
import { DEFAULT_TIMEOUT_SECONDS } from "../plan/defaults.js";
import { imageDrift } from "./preflight.js";
import { type PreparedUp, prepareUp } from "./prepare-up.js";
import type { UpAction, UpOptions, UpResult } from "./types.js";

const HANDLERS = { ...CONTAINER_STEPS, ...ACCESS_STEPS, ...REPLACE_STEPS };

/** Same name, same options: kept (started or reported); different: refused unless --recreate. */
function decideAction(plan: Plan, existing: ContainerDetails | undefined): UpAction {
  if (!existing) return "created";
  // --recreate always replaces (e.g. to move to the image a tag now names).
  if (plan.execution.recreate) return "recreated";
  if (matchesPlan(existing, plan)) {
    return existing.status === "running" ? "already-running" : "started";
  }
  const differences = flagDifferences(existingSpec(existing), specOf(plan));
  const flags = differences.map((l) => l.slice(0, l.indexOf(":")));
  throw new ModelboxDevError(
    "SPEC_CHANGED",
    `Environment ${plan.name} exists with different options: ${flags.join("; ") || "its recorded spec"}.`,
    `Keep it as it is (run 'modelbox-dev up ${plan.name}' with its original options), or replace it with --recreate (the container is removed; /home and /opt/modelbox stay on the host).`,
    { details: differences.map((l) => `  ${l}`) },
  );
}

function startExecution(prepared: PreparedUp, ctx: ResolvedContext): Execution {
  const action = decideAction(prepared.plan, prepared.existing);
  return {
    plan: prepared.plan,
    facts: prepared.facts,
    ctx,
    secrets: prepared.secrets,
    action,
    ...(prepared.existing ? { existing: prepared.existing } : {}),
    reuse: action === "started" || action === "already-running",
    createdVolumes: [],
    early: {},
    warnings: [],
    notes: [],
    reports: [],
  };
}

/** How often `up` plans again when a port it chose is taken before its container starts. */
const PORT_ATTEMPTS = 20;

/** Create, then every step after it under rollback: the part a port race makes `up` repeat. */
async function createAndFinish(x: Execution, steps: readonly PlanStep[]): Promise<UpResult> {
  const createIndex = steps.findIndex((s) => s.id === "create");
  await runSteps(x, steps.slice(0, createIndex + 1), HANDLERS);
  const rest = steps.slice(createIndex + 1);
  if (x.reuse || !x.containerId) {
    await runSteps(x, rest, HANDLERS);
    return upResult(x);
  }
  return withRollback(x, x.containerId, async () => {
    await runSteps(x, rest, HANDLERS);
    // A Ctrl-C that came during the last step is honoured, not lost because the step then ended.
    throwIfAborted(x.ctx.signal, `up ${x.plan.name}`);
    return upResult(x);
  });
}

/**
 * From create on, with new plans while ports that `up` chose are taken by other starts first.
 * Returns the result and the execution it came from (a new plan makes a new execution).
 */
async function createWithFreePorts(
  first: Execution,
  prepared: PreparedUp,
  onNext: (x: Execution) => void,
): Promise<UpResult> {
  let x = first;
  const taken: PortUse[] = [];
  for (let attempt = 1; ; attempt++) {
    const steps = x.plan.steps.slice(x.plan.steps.findIndex((s) => s.id === "create"));
    try {
      return await createAndFinish(x, steps);
    } catch (err) {
      if (!(err instanceof PortTakenError) || !err.movable || x.reuse || attempt >= PORT_ATTEMPTS) {
        throw err;
      }
      const { port } = err;
      taken.push(err.holder ?? { port: port.hostPort, by: "unknown" });
      const next = await prepared.replan(taken);
      const moved = next.ports.find((p) => p.purpose === port.purpose)?.hostPort;
      const message = `${port.purpose} port ${port.hostPort} was taken before ${x.plan.name} started; using ${moved ?? "another"} instead.`;
      x.ctx.emit({ type: "warning", message });
      x = {
        ...x,
        plan: next,
        containerId: undefined,
        container: undefined,
        readinessDeadline: undefined,
        early: {},
        warnings: [...x.warnings, message],
      };
      onNext(x);
    }
  }
}

/**
 * `up`: creates (or reuses) the environment these options describe and returns once it is
 * usable: the host probed, the plan made (image chosen for the host), then each step of the plan
 * carried out and reported: pull, create, start, wait for sshd, the key, a real key login, the
 * ssh config entry, the password, developer mode, the editor. A port `up` chose itself that
 * another start takes first makes it plan again with the next free one.
 *
 * Nothing is left half-made: after create, a failure (or an interruption) removes the container
 * (unless `keepOnFailure`) with the container's last log lines in the error; the files and the
 * ~/.ssh/config entry this call wrote are put back as they were; with `--recreate` the old
 * environment, set aside until the new one is ready, comes back.
 */
export async function up(options: UpOptions = {}, context?: OperationContext): Promise<UpResult> {
  const ctx = resolveContext(context);
  // Two `up`s of one name at the same moment: the second waits, then finds it and reports it.
  const { name } = options;
  if (name === undefined) return upLocked(options, ctx);
  const lock = { ...(ctx.signal ? { signal: ctx.signal } : {}), log: ctx.log };
  const seconds = options.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(options.timeout);
  // Another user's `up` (another lock) may create it first, or take its ports first.
  return retryingNameRaces(ctx, name, seconds, () =>
    withNameLock(name, () => upLocked(options, ctx), lock),
  );
}

async function upLocked(options: UpOptions, ctx: ResolvedContext): Promise<UpResult> {
  const prepared = await prepareUp(ctx.engine, options, "execute", ctx.signal);
  const { plan } = prepared;
  if (plan.imageReason) ctx.log(`Image: ${plan.imageReason}`);
  let x = startExecution(prepared, ctx);
  if (x.reuse && x.existing)
    x.warnings.push(
      ...(await imageDrift(ctx.engine, x.existing, plan.image)).map((w) => w.message),
    );

  // Before anything changes: the pull (an interruption here leaves nothing to undo).
  const firstChange = plan.steps.findIndex((s) => s.id === "replace" || s.id === "create");
  await runSteps(x, plan.steps.slice(0, firstChange), HANDLERS);
  const localState = await snapshotLocalState(plan.name);
  try {
    await runSteps(
      x,
      plan.steps.filter((s) => s.id === "replace"),
      HANDLERS,
    );
    return await createWithFreePorts(x, prepared, (next) => (x = next));
  } catch (err) {
    // Nothing still writes the files about to be put back.
    await settleEarlyWork(x);
    // A kept container (--keep-on-failure) keeps its key and entry, to log in and look.
    if (!x.kept) await restoreLocalState(localState).catch(() => undefined);
    await putBack(x, err);
    throw err;
  }
}
