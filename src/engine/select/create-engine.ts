import { DockerEngine } from "../docker/docker-engine.js";
import type { ContainerEngine } from "../types.js";
import { engineTarget, processWorld } from "./choose-engine.js";
import type { EngineFlags, EngineWorld } from "./resolve-engine.js";

/** The engine the docker CLI would talk to with these flags, in this environment. */
export function createEngine(
  flags: EngineFlags = {},
  world: EngineWorld = processWorld(),
): ContainerEngine {
  return new DockerEngine(engineTarget(flags, world));
}
