import { DockerEngine } from "../docker/docker-engine.js";
import type { ContainerEngine } from "../types.js";
import { engineTarget, processWorld } from "./choose-engine.js";
import { DEFAULT_CONTEXT, listContexts } from "./docker-contexts.js";
import { type EngineFlags, type EngineWorld, dockerConfigStore } from "./resolve-engine.js";

/** The engine the docker CLI would talk to with these flags, in this environment. */
export function createEngine(
  flags: EngineFlags = {},
  world: EngineWorld = processWorld(),
): ContainerEngine {
  return new DockerEngine(engineTarget(flags, world));
}

/** One engine per configured Docker context: "default" first, then the store's, by name. */
export function enginesForAllContexts(
  world: EngineWorld = processWorld(),
): Array<{ context: string; engine: ContainerEngine } | { context: string; error: Error }> {
  const names = [DEFAULT_CONTEXT, ...listContexts(dockerConfigStore(world)).map((c) => c.name)];
  return names.map((context) => {
    try {
      return { context, engine: createEngine({ context }, world) };
    } catch (err) {
      return { context, error: err instanceof Error ? err : new Error(String(err)) };
    }
  });
}
