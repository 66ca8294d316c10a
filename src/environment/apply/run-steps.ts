import type { PlanStep, StepId } from "../../plan/types.js";
import { throwIfAborted } from "../operation.js";
import type { Execution } from "./execution.js";

/** What a step did: done (maybe with what it found), or skipped with why. */
export interface StepOutcome {
  status: "done" | "skipped";
  detail?: string;
}

export type StepHandler = (x: Execution, step: PlanStep) => Promise<StepOutcome>;

export const done = (detail?: string): StepOutcome => ({
  status: "done",
  ...(detail ? { detail } : {}),
});
export const skipped = (detail: string): StepOutcome => ({ status: "skipped", detail });

/**
 * Carries out steps in order, each announced (started, then done/skipped/failed) to the client
 * and recorded for the result. Between steps an aborted signal stops the run.
 */
export async function runSteps(
  x: Execution,
  steps: readonly PlanStep[],
  handlers: Partial<Record<StepId, StepHandler>>,
): Promise<void> {
  for (const step of steps) {
    const handler = handlers[step.id];
    if (!handler) continue;
    throwIfAborted(x.ctx.signal, `up ${x.plan.name}`);
    const { id, title } = step;
    x.ctx.emit({ type: "step", id, title, status: "started" });
    let outcome: StepOutcome;
    try {
      outcome = await handler(x, step);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      x.ctx.emit({ type: "step", id, title, status: "failed", detail });
      throw err;
    }
    x.reports.push({ id, title, ...outcome });
    x.ctx.emit({ type: "step", id, title, ...outcome });
  }
}
