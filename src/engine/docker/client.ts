import type Docker from "dockerode";

/**
 * What the concern modules (images, containers, exec) need of a connection: dockerode, and the
 * wrapper that turns socket and daemon failures into our errors.
 */
export interface DockerClient {
  readonly docker: Docker;
  /** Runs an engine call, turning socket failures into ENGINE_UNAVAILABLE. */
  call<T>(fn: () => Promise<T>): Promise<T>;
  /** The same translation, for errors that arrive outside `call` (streams). */
  wrap(err: unknown): Error;
}
