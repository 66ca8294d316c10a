import { renderShellScript } from "../plan/render-shell-script.js";
import { toolVersion } from "../tool-version.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { prepareUp } from "./prepare-up.js";
import type { PlanOptions, PlanResult, ScriptOptions } from "./types.js";

/**
 * `plan`: what `up` with these options would do on this host, every step included, without
 * doing it. Takes every option `up` takes.
 */
export async function plan(options: PlanOptions, context?: OperationContext): Promise<PlanResult> {
  const { engine } = resolveContext(context);
  const prepared = await prepareUp(engine, options, "show");
  return {
    ok: true,
    plan: prepared.plan,
    ...(prepared.plan.imageReason ? { imageReason: prepared.plan.imageReason } : {}),
    facts: prepared.facts,
  };
}

/** `script`: the one-click bash script for the plan (with `explain`, commented throughout). */
export async function script(options: ScriptOptions, context?: OperationContext): Promise<string> {
  const { explain, ...upOptions } = options;
  const { plan: planned } = await plan(upOptions, context);
  return renderShellScript(planned, { explain: explain ?? false, toolVersion: toolVersion() });
}
