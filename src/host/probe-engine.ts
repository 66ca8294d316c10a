import { statfs } from "node:fs/promises";
import type { ContainerEngine } from "../engine/types.js";
import type { EngineFacts } from "./facts.js";

/** Node's arch names → ModelBox's. */
export function modelboxArch(arch: string | undefined): string {
  if (arch === "amd64" || arch === "x64" || arch === "x86_64") return "x86_64";
  if (arch === "arm64" || arch === "aarch64") return "aarch64";
  return arch ?? "unknown";
}

export type FreeBytes = (path: string) => Promise<number | undefined>;

export const statfsFreeBytes: FreeBytes = async (path) => {
  try {
    const s = await statfs(path);
    return s.bavail * s.bsize;
  } catch {
    return undefined; // data root not visible from here (remote engine, Docker Desktop VM)
  }
};

function asString(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** Engine facts from the engine's own /version and /info (daemon facts, not the client's). */
export async function probeEngine(
  engine: ContainerEngine,
  freeBytes: FreeBytes = statfsFreeBytes,
): Promise<EngineFacts> {
  const [version, info, kind] = await Promise.all([engine.version(), engine.info(), engine.kind()]);
  const runtimes = Object.keys((info.Runtimes as Record<string, unknown> | undefined) ?? {});
  const securityOptions = (info.SecurityOptions as string[] | undefined) ?? [];
  const cgroupVersion = asString(info.CgroupVersion) === "2" ? 2 : 1;
  const dataRoot = asString(info.DockerRootDir);
  const free = dataRoot ? await freeBytes(dataRoot) : undefined;
  return {
    kind,
    serverVersion: asString(info.ServerVersion) ?? version.version,
    apiVersion: version.apiVersion,
    runtimes,
    ...(asString(info.DefaultRuntime) ? { defaultRuntime: asString(info.DefaultRuntime) } : {}),
    cgroupVersion,
    ...(asString(info.CgroupDriver) ? { cgroupDriver: asString(info.CgroupDriver) } : {}),
    rootless: securityOptions.some((o) => o.includes("rootless")),
    arch: modelboxArch(asString(info.Architecture) ?? version.arch),
    ...(asString(info.OperatingSystem) ? { os: asString(info.OperatingSystem) } : {}),
    ...(dataRoot ? { dataRoot } : {}),
    ...(free !== undefined ? { dataRootFreeBytes: free } : {}),
  };
}
