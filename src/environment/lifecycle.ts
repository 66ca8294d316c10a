import { ModelboxDevError } from "../errors.js";
import type { ContainerDetails, ContainerEngine, StreamExecOptions } from "../engine/types.js";
import { STOP_TIMEOUT_SECONDS } from "../plan/options.js";
import { assertRunning, getEnvironment } from "./find.js";

export async function startEnvironment(
  engine: ContainerEngine,
  name: string,
): Promise<ContainerDetails> {
  const c = await getEnvironment(engine, name);
  if (c.status !== "running") await engine.startContainer(c.id);
  return (await engine.inspectContainer(c.id)) ?? c;
}

export async function stopEnvironment(
  engine: ContainerEngine,
  name: string,
): Promise<ContainerDetails> {
  const c = await getEnvironment(engine, name);
  if (c.status === "running" || c.status === "paused" || c.status === "restarting") {
    await engine.stopContainer(c.id, STOP_TIMEOUT_SECONDS);
  }
  return (await engine.inspectContainer(c.id)) ?? c;
}

export async function removeEnvironment(
  engine: ContainerEngine,
  name: string,
  options: { force: boolean },
): Promise<ContainerDetails> {
  const c = await getEnvironment(engine, name);
  if (c.status === "running" && !options.force) {
    throw new ModelboxDevError(
      "IS_RUNNING",
      `Environment ${JSON.stringify(name)} is running.`,
      `Stop it first ('modelbox-dev stop ${name}'), or remove it anyway with 'modelbox-dev rm --force ${name}'.`,
    );
  }
  await engine.removeContainer(c.id, { force: options.force });
  return c;
}

export async function execInEnvironment(
  engine: ContainerEngine,
  name: string,
  command: string[],
  io: StreamExecOptions,
): Promise<number> {
  if (command.length === 0) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "No command given to run.",
      `Put the command after '--', e.g. 'modelbox-dev exec ${name} -- nvidia-smi'.`,
    );
  }
  const c = await getEnvironment(engine, name);
  assertRunning(c, name);
  return engine.execStream(c.id, command, io);
}
