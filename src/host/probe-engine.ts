import { statfs } from "node:fs/promises";
import type { ContainerEngine } from "../engine/types.js";
import type { EngineFacts } from "./facts.js";
import { engineFactsFromInfoJson, normalizeArch } from "./parse-docker-info.js";

export type FreeBytes = (path: string) => Promise<number | undefined>;

export const statfsFreeBytes: FreeBytes = async (path) => {
  try {
    const s = await statfs(path);
    return s.bavail * s.bsize;
  } catch {
    return undefined; // data root not visible from here (remote engine, Docker Desktop VM)
  }
};

/** Engine facts from the engine's own /version and /info: the daemon's facts, not the client's. */
export async function probeEngine(
  engine: ContainerEngine,
  freeBytes: FreeBytes = statfsFreeBytes,
): Promise<EngineFacts> {
  const [version, info, kind] = await Promise.all([engine.version(), engine.info(), engine.kind()]);
  const parsed = engineFactsFromInfoJson(info, version.apiVersion, kind);
  const free = parsed.dataRoot ? await freeBytes(parsed.dataRoot) : undefined;
  return {
    kind,
    serverVersion: parsed.serverVersion ?? version.version,
    apiVersion: version.apiVersion,
    runtimes: parsed.runtimes,
    ...(parsed.defaultRuntime ? { defaultRuntime: parsed.defaultRuntime } : {}),
    cgroupVersion: parsed.cgroupVersion,
    ...(parsed.cgroupDriver ? { cgroupDriver: parsed.cgroupDriver } : {}),
    rootless: parsed.rootless,
    arch: parsed.arch ?? normalizeArch(version.arch ?? "unknown"),
    ...(parsed.os ? { os: parsed.os } : {}),
    ...(parsed.dataRoot ? { dataRoot: parsed.dataRoot } : {}),
    ...(free !== undefined ? { dataRootFreeBytes: free } : {}),
    connection: { ...engine.connection },
    ...(parsed.memoryBytes !== undefined ? { memoryBytes: parsed.memoryBytes } : {}),
  };
}
