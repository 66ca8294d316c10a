import { DockerEngine } from "./docker/docker-engine.js";
import type { ContainerEngine } from "./types.js";

/** The engine used when none is given: DOCKER_HOST, else the local Docker socket. */
export function createEngine(): ContainerEngine {
  return new DockerEngine();
}
