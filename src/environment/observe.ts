/**
 * Watching environments as they change: their lifecycle events, resource use, logs, and a
 * terminal inside one. Only environments modelbox-dev manages are reachable through these.
 */
import type {
  ContainerEngine,
  ContainerEvent,
  ContainerStatsSample,
  TerminalSession,
  TerminalSize,
} from "../engine/types.js";
import { MANAGED_FILTER } from "../labels.js";
import { assertRunning, getEnvironment } from "./find.js";

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
export function watchEnvironments(
  engine: ContainerEngine,
  signal: AbortSignal,
): AsyncIterable<ContainerEvent> {
  return engine.containerEvents({ labels: [MANAGED_FILTER], actions: STATE_CHANGES, signal });
}

/** CPU and memory of a running environment, a sample at a time. */
export async function* environmentStats(
  engine: ContainerEngine,
  name: string,
  signal: AbortSignal,
): AsyncIterable<ContainerStatsSample> {
  const c = await getEnvironment(engine, name);
  assertRunning(c, name);
  yield* engine.containerStats(c.id, signal);
}

/** The log so far (the last `tail` lines), then, with `follow`, new lines until `signal` aborts. */
export async function environmentLogs(
  engine: ContainerEngine,
  name: string,
  options: { tail?: number; follow: boolean },
  out: NodeJS.WritableStream,
  signal: AbortSignal,
): Promise<void> {
  const c = await getEnvironment(engine, name);
  const tail = options.tail === undefined ? {} : { tail: options.tail };
  if (options.follow) await engine.followLogs(c.id, tail, out, signal);
  else out.write(await engine.logs(c.id, tail));
}

/** A shell with a terminal in a running environment. */
export async function openEnvironmentTerminal(
  engine: ContainerEngine,
  name: string,
  size: TerminalSize,
): Promise<TerminalSession> {
  const c = await getEnvironment(engine, name);
  assertRunning(c, name);
  return engine.openTerminal(c.id, TERMINAL_COMMAND, size);
}
