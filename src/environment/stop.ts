import { STOP_TIMEOUT_SECONDS } from "../plan/options.js";
import { getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { StopOptions, StopResult } from "./types.js";

/** `stop NAME`: systemd in the container gets time to shut its services down cleanly. */
export async function stop(options: StopOptions, context?: OperationContext): Promise<StopResult> {
  const { engine } = resolveContext(context);
  const c = await getEnvironment(engine, options.name);
  if (c.status === "running" || c.status === "paused" || c.status === "restarting") {
    await engine.stopContainer(c.id, STOP_TIMEOUT_SECONDS);
  }
  const after = (await engine.inspectContainer(c.id)) ?? c;
  return { ok: true, name: after.name, id: after.id, state: after.status };
}
