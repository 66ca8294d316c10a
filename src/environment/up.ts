import type { ContainerDetails } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { diffSpecs, specOf } from "../plan/spec-hash.js";
import type { PortUse } from "../host/facts.js";
import type { Plan, PlanStep } from "../plan/types.js";
import { ACCESS_STEPS } from "./apply/access-steps.js";
import { CONTAINER_STEPS } from "./apply/container-steps.js";
import type { Execution } from "./apply/execution.js";
import { withRollback } from "./apply/failures.js";
import { PortTakenError } from "./apply/port-conflicts.js";
import { upResult } from "./apply/report.js";
import { runSteps } from "./apply/run-steps.js";
import { type OperationContext, type ResolvedContext, resolveContext } from "./operation.js";
import { existingSpec, matchesPlan } from "./existing-spec.js";
import { imageDrift } from "./preflight.js";
import { type PreparedUp, prepareUp } from "./prepare-up.js";
import type { UpAction, UpOptions, UpResult } from "./types.js";

const HANDLERS = { ...CONTAINER_STEPS, ...ACCESS_STEPS };

/** Same name, same options: kept (started or reported); different: refused unless --recreate. */
function decideAction(plan: Plan, existing: ContainerDetails | undefined): UpAction {
  if (!existing) return "created";
  // --recreate always replaces (e.g. to move to the image a tag now names).
  if (plan.execution.recreate) return "recreated";
  if (matchesPlan(existing, plan)) {
    return existing.status === "running" ? "already-running" : "started";
  }
  const before = existingSpec(existing);
  throw new ModelboxDevError(
    "SPEC_CHANGED",
    `Environment ${plan.name} exists with different options.`,
    `Keep it as it is (run 'modelbox-dev up ${plan.name}' with its original options), or replace it with --recreate (the container is removed; /home and /opt/modelbox stay on the host).`,
    { details: diffSpecs(before, specOf(plan)).map((l) => `  ${l}`) },
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
    return upResult(x);
  });
}

/**
 * `up`: creates (or reuses) the environment these options describe and returns once it is
 * usable: the host probed, the plan made (image chosen for the host), then each step of the plan
 * carried out and reported: pull, create, start, wait for sshd, the key, a real key login, the
 * ssh config entry, the password, developer mode, the editor. After create, any failure removes
 * what was created (unless `keepOnFailure`) and reports the container's last log lines. A port
 * `up` chose itself that another start takes first makes it plan again with the next free one.
 */
export async function up(options: UpOptions = {}, context?: OperationContext): Promise<UpResult> {
  const ctx = resolveContext(context);
  const prepared = await prepareUp(ctx.engine, options, "execute");
  const { plan } = prepared;
  if (plan.imageReason) ctx.log(`Image: ${plan.imageReason}`);
  let x = startExecution(prepared, ctx);
  if (x.reuse && x.existing)
    x.warnings.push(
      ...(await imageDrift(ctx.engine, x.existing, plan.image)).map((w) => w.message),
    );

  const createIndex = plan.steps.findIndex((s) => s.id === "create");
  await runSteps(x, plan.steps.slice(0, createIndex), HANDLERS);
  const taken: PortUse[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return await createAndFinish(x, x.plan.steps.slice(createIndex));
    } catch (err) {
      if (!(err instanceof PortTakenError) || !err.movable || x.reuse || attempt >= PORT_ATTEMPTS) {
        throw err;
      }
      const { port } = err;
      taken.push(err.holder ?? { port: port.hostPort, by: "unknown" });
      const next = await prepared.replan(taken);
      const moved = next.ports.find((p) => p.purpose === port.purpose)?.hostPort;
      const message = `${port.purpose} port ${port.hostPort} was taken before ${plan.name} started; using ${moved ?? "another"} instead.`;
      ctx.emit({ type: "warning", message });
      x = {
        ...x,
        plan: next,
        containerId: undefined,
        container: undefined,
        readinessDeadline: undefined,
        warnings: [...x.warnings, message],
      };
    }
  }
}
