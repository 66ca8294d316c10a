import { posix } from "node:path";
import type { ContainerDetails, ContainerEngine, ContainerPathStat } from "../../engine/types.js";
import {
  notADirectory,
  notCopyable,
  notDirectoryOrFile,
  parentMissing,
  parentNotDirectory,
  sourceNotFound,
  tooManyLinks,
} from "./copy-errors.js";
import {
  type CopyDestination,
  type CopySource,
  cleanPath,
  hasTrailingSeparator,
  rebaseAfterResolve,
  specifiesCurrentDir,
  splitPathDirEntry,
} from "./copy-rules.js";
import { MAX_LINK_HOPS } from "./host-paths.js";

export interface HiddenMount {
  point: string;
  kind: "tmpfs" | "kernel";
}

const KERNEL_FILESYSTEMS = ["/proc", "/sys", "/dev"];

function tmpfsMountPoints(hostConfig: Record<string, unknown>): string[] {
  const tmpfs = Object.keys((hostConfig.Tmpfs as Record<string, string> | undefined) ?? {});
  const mounts = ((hostConfig.Mounts as Array<{ Type?: string; Target?: string }>) ?? [])
    .filter((m) => m.Type === "tmpfs" && m.Target)
    .map((m) => m.Target as string);
  return [...tmpfs, ...mounts];
}

/**
 * The mount that hides `path` from the engine's copy, if any: the archive endpoints read and
 * write the container's own filesystem, so a tmpfs (the environments' /tmp, /run) or a kernel
 * filesystem over it is invisible to them (a write would land underneath, unseen).
 */
export function hiddenMountOf(details: ContainerDetails, path: string): HiddenMount | undefined {
  const clean = cleanPath(path);
  const under = (point: string) => clean === point || clean.startsWith(`${cleanPath(point)}/`);
  const kernel = KERNEL_FILESYSTEMS.find(under);
  if (kernel) return { point: kernel, kind: "kernel" };
  const tmpfs = tmpfsMountPoints(details.hostConfig)
    .filter(under)
    .sort((a, b) => b.length - a.length)[0];
  return tmpfs ? { point: cleanPath(tmpfs), kind: "tmpfs" } : undefined;
}

/** Refuses a path the engine's copy cannot reach (see hiddenMountOf). */
export function assertCopyable(
  details: ContainerDetails,
  path: string,
  label: string,
  direction: "to-environment" | "from-environment",
): void {
  const mount = hiddenMountOf(details, path);
  if (mount) throw notCopyable(label, details.name, mount, direction);
}

type Side = { kind: "environment"; name: string };

/** A path written with "/" or "/." at the end must be a directory (or a link to one). */
async function assertDirectoryIfMarked(
  engine: ContainerEngine,
  id: string,
  path: string,
  label: string,
): Promise<void> {
  if (!hasTrailingSeparator(path) && !specifiesCurrentDir(path)) return;
  const clean = cleanPath(path);
  if (clean === "/") return;
  const info = await engine.statPath(id, clean);
  if (info && info.kind !== "directory" && info.kind !== "symlink") throw notADirectory(label);
}

/** Where a symlink points, as a path in the container. */
function linkTarget(path: string, info: ContainerPathStat): string {
  const target = info.linkTarget ?? "";
  return target.startsWith("/") ? target : posix.join(splitPathDirEntry(path).dir, target);
}

/** Follows symlinks from `path` (at most MAX_LINK_HOPS); returns the last path and its stat. */
async function followLinks(
  engine: ContainerEngine,
  id: string,
  path: string,
  label: string,
): Promise<{ path: string; info?: ContainerPathStat }> {
  let current = path;
  for (let hops = 0; ; hops++) {
    const info = await engine.statPath(id, current);
    if (info?.kind !== "symlink") return { path: current, ...(info ? { info } : {}) };
    if (hops >= MAX_LINK_HOPS) throw tooManyLinks(label);
    current = linkTarget(current, info);
  }
}

/** The path in the environment to archive (symlinks followed with `followLink`). */
export async function describeContainerSource(
  engine: ContainerEngine,
  details: ContainerDetails,
  path: string,
  followLink: boolean,
  label: string,
): Promise<CopySource> {
  const side: Side = { kind: "environment", name: details.name };
  await assertDirectoryIfMarked(engine, details.id, path, label);
  let source: { path: string; rebaseName?: string } = { path };
  if (followLink) {
    const followed = await followLinks(engine, details.id, path, label);
    if (followed.path !== path) source = rebaseAfterResolve(path, followed.path);
  }
  const info = await engine.statPath(details.id, source.path);
  if (!info) throw sourceNotFound(label, side, splitPathDirEntry(path).dir);
  return { ...source, isDir: info.kind === "directory" };
}

/** What is at the destination in the environment (symlinks followed, as docker cp does). */
export async function describeContainerDestination(
  engine: ContainerEngine,
  details: ContainerDetails,
  path: string,
  label: string,
): Promise<CopyDestination> {
  const side: Side = { kind: "environment", name: details.name };
  await assertDirectoryIfMarked(engine, details.id, path, label);
  const { path: resolved, info } = await followLinks(engine, details.id, path, label);
  if (info?.kind === "other") throw notDirectoryOrFile(label);
  if (info) return { path: resolved, exists: true, isDir: info.kind === "directory" };
  // docker cp leaves a missing parent to the engine ("Could not find the file"); say it plainly.
  const parent = splitPathDirEntry(resolved).dir;
  const parentInfo = await engine.statPath(details.id, parent);
  if (!parentInfo) throw parentMissing(label, side, parent);
  if (parentInfo.kind === "file" || parentInfo.kind === "other") {
    throw parentNotDirectory(label, parent);
  }
  return { path: resolved, exists: false, isDir: false };
}
