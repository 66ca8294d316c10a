import { renderShellScript } from "../plan/render-shell-script.js";
import { toolVersion } from "../tool-version.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { ModelboxDevError } from "../errors.js";
import { prepareUp } from "./prepare-up.js";
import { refuseKubernetesOnly } from "../plan/kubernetes/options.js";
import type { PlanOptions, PlanResult, ScriptOptions } from "./types.js";

/**
 * `plan`: what `up` with these options would do on this host, every step included, without
 * doing it. Takes every option `up` takes.
 */
export async function plan(options: PlanOptions, context?: OperationContext): Promise<PlanResult> {
  const { engine, signal } = resolveContext(context);
  const prepared = await prepareUp(engine, options, "show", signal);
  return {
    ok: true,
    plan: prepared.plan,
    ...(prepared.plan.imageReason ? { imageReason: prepared.plan.imageReason } : {}),
    facts: prepared.facts,
  };
}

/**
 * `script`: the one-click bash script for the plan (with `explain`, commented throughout), or
 * with `target: "kubernetes"` the same environment as manifests for a cluster.
 */
export async function script(options: ScriptOptions, context?: OperationContext): Promise<string> {
  if (options.target === "kubernetes") {
    const { kubernetesScript } = await import("./script-kubernetes.js");
    return kubernetesScript(options);
  }
  if (options.target !== undefined && options.target !== "shell") {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--target ${JSON.stringify(options.target)} is not shell or kubernetes.`,
      "Use --target shell (the docker run script) or --target kubernetes.",
    );
  }
  refuseKubernetesOnly(options);
  const { explain, ...upOptions } = options;
  const { plan: planned } = await plan(upOptions, context);
  return renderShellScript(planned, { explain: explain ?? false, toolVersion: toolVersion() });
}
