import type { ContainerDetails } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { LABELS } from "../labels.js";
import { diffSpecs, specOf } from "../plan/spec-hash.js";
import type { Plan } from "../plan/types.js";
import { ACCESS_STEPS } from "./apply/access-steps.js";
import { CONTAINER_STEPS } from "./apply/container-steps.js";
import type { Execution } from "./apply/execution.js";
import { withRollback } from "./apply/failures.js";
import { upResult } from "./apply/report.js";
import { runSteps } from "./apply/run-steps.js";
import { type OperationContext, type ResolvedContext, resolveContext } from "./operation.js";
import { imageDrift } from "./preflight.js";
import { type PreparedUp, prepareUp } from "./prepare-up.js";
import type { UpAction, UpOptions, UpResult } from "./types.js";

const HANDLERS = { ...CONTAINER_STEPS, ...ACCESS_STEPS };

/** Same name, same options: kept (started or reported); different: refused unless --recreate. */
function decideAction(plan: Plan, existing: ContainerDetails | undefined): UpAction {
  if (!existing) return "created";
  // --recreate always replaces (e.g. to move to the image a tag now names).
  if (plan.execution.recreate) return "recreated";
  if (existing.labels[LABELS.specHash] === plan.specHash) {
    return existing.status === "running" ? "already-running" : "started";
  }
  const before = JSON.parse(existing.labels[LABELS.spec] ?? "{}") as Record<string, unknown>;
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

/**
 * `up`: creates (or reuses) the environment these options describe and returns once it is
 * usable: the host probed, the plan made (image chosen for the host), then each step of the plan
 * carried out and reported: pull, create, start, wait for sshd, the key, a real key login, the
 * ssh config entry, the password, developer mode, the editor. After create, any failure removes
 * what was created (unless `keepOnFailure`) and reports the container's last log lines.
 */
export async function up(options: UpOptions = {}, context?: OperationContext): Promise<UpResult> {
  const ctx = resolveContext(context);
  const prepared = await prepareUp(ctx.engine, options, "execute", ctx.signal);
  const { plan } = prepared;
  if (plan.imageReason) ctx.log(`Image: ${plan.imageReason}`);
  const x = startExecution(prepared, ctx);
  if (x.reuse && x.existing)
    x.warnings.push(
      ...(await imageDrift(ctx.engine, x.existing, plan.image)).map((w) => w.message),
    );

  // Everything after create runs under rollback when this call created the container.
  const createIndex = plan.steps.findIndex((s) => s.id === "create") + 1;
  await runSteps(x, plan.steps.slice(0, createIndex), HANDLERS);
  const rest = plan.steps.slice(createIndex);
  if (x.reuse || !x.containerId) {
    await runSteps(x, rest, HANDLERS);
    return upResult(x);
  }
  return withRollback(x, x.containerId, async () => {
    await runSteps(x, rest, HANDLERS);
    return upResult(x);
  });
}
