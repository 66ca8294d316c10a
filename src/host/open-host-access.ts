import type { ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import type { HostFacts } from "./facts.js";
import { type ProbeHostOptions, probeHost } from "./probe-host.js";
import { type HostAccess, localHostAccess } from "./host-access.js";
import { type EngineHostOptions, openEngineHost } from "./remote/engine-host.js";

/**
 * The engine's host: this machine when the engine is local, else that machine through a probe
 * container. Close it when done (it removes the probe).
 */
export function openHostAccess(
  engine: ContainerEngine,
  options: EngineHostOptions = {},
): Promise<HostAccess> {
  const remote = engine.connection.remoteHost;
  return remote ? openEngineHost(engine, remote, options) : Promise.resolve(localHostAccess());
}

/** Runs `fn` with the engine's host, and always closes it (removing any probe container). */
export async function withHostAccess<T>(
  engine: ContainerEngine,
  options: EngineHostOptions,
  fn: (host: HostAccess) => Promise<T>,
): Promise<T> {
  const host = await openHostAccess(engine, options);
  try {
    return await fn(host);
  } finally {
    await host.close();
  }
}

/**
 * Host facts of the engine's host, wherever it is: probed here for a local engine, through a
 * short-lived probe container for a remote one (removed afterwards, also on abort).
 */
export async function probeEngineHost(
  engine: ContainerEngine,
  options: Omit<ProbeHostOptions, "host">,
  access: EngineHostOptions = {},
): Promise<HostFacts> {
  try {
    return await withHostAccess(engine, access, (host) => probeHost(engine, { ...options, host }));
  } catch (err) {
    if (access.signal?.aborted) {
      throw new ModelboxDevError(
        "INTERRUPTED",
        "Probing the engine's host was interrupted; the probe container was removed.",
        "Run the command again when you are ready.",
      );
    }
    throw err;
  }
}
