/**
 * Watching environments as they change: their lifecycle events, their CPU and memory, and a
 * shell with a terminal inside one. Like the other operations they take their options and a
 * context; they reach only environments modelbox-dev manages.
 */
import type {
  ContainerEvent,
  ContainerStatsSample,
  TerminalSession,
  TerminalSize,
} from "../engine/types.js";
import { MANAGED_FILTER } from "../labels.js";
import { assertRunning, getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";

/** A stream runs until its signal aborts, so a signal is required. */
export type StreamContext = Omit<OperationContext, "signal" | "onEvent"> & { signal: AbortSignal };

/** The shell a terminal opens: a login shell, so the image's profile (CUDA paths) applies. */
export const TERMINAL_COMMAND = ["/bin/bash", "-l"];

/** The engine's actions after which an environment's state, name or existence differ. */
const STATE_CHANGES = [
  "create",
  "start",
  "restart",
  "die",
  "stop",
  "kill",
  "pause",
  "unpause",
  "destroy",
  "rename",
] as const;

/** Every change of state of a managed environment (created, started, stopped, removed…). */
export function watch(context: StreamContext): AsyncIterable<ContainerEvent> {
  const { engine } = resolveContext(context);
  return engine.containerEvents({
    labels: [MANAGED_FILTER],
    actions: STATE_CHANGES,
    signal: context.signal,
  });
}

/** CPU and memory of a running environment, a sample at a time (about one a second). */
export async function* stats(
  options: { name: string },
  context: StreamContext,
): AsyncIterable<ContainerStatsSample> {
  const { engine } = resolveContext(context);
  const c = await getEnvironment(engine, options.name);
  assertRunning(c, options.name);
  yield* engine.containerStats(c.id, context.signal);
}

export interface TerminalOptions extends TerminalSize {
  name: string;
}

/** A login shell with a terminal of this size in a running environment. */
export async function terminal(
  options: TerminalOptions,
  context?: Omit<OperationContext, "onEvent">,
): Promise<TerminalSession> {
  const { engine } = resolveContext(context);
  const c = await getEnvironment(engine, options.name);
  assertRunning(c, options.name);
  return engine.openTerminal(c.id, TERMINAL_COMMAND, {
    columns: options.columns,
    rows: options.rows,
  });
}
