import { ACCESS_STEP_IDS, type AccessStepId, type PlanStep } from "../../plan/types.js";
import type { UpResult } from "../types.js";
import type { Execution } from "./execution.js";
import type { StepHandler } from "./run-steps.js";

/**
 * What `up` needs only once its container runs (the access steps, the early work, the report:
 * about 40 modules with what they import) loads while the engine starts the container, where
 * `up` only waits, instead of before the create call (40-60 ms of its start here).
 */
const load = () =>
  Promise.all([import("./access-steps.js"), import("./early-work.js"), import("./report.js")]);

let loading: ReturnType<typeof load> | undefined;

/** Begins loading (once per process); the container's start step calls it first. */
export function loadAfterStart(): ReturnType<typeof load> {
  loading ??= load();
  return loading;
}

/** The access steps by id; each loads its module on first use (see loadAfterStart). */
export const ACCESS_STEPS = Object.fromEntries(
  ACCESS_STEP_IDS.map((id) => [
    id,
    async (x: Execution, step: PlanStep) => {
      const [access] = await loadAfterStart();
      return access.ACCESS_STEPS[id](x, step);
    },
  ]),
) as Record<AccessStepId, StepHandler>;

export async function beginEarlyWork(x: Execution): Promise<void> {
  const [, early] = await loadAfterStart();
  early.beginEarlyWork(x);
}

export async function upResult(x: Execution): Promise<UpResult> {
  const [, , report] = await loadAfterStart();
  return report.upResult(x);
}
