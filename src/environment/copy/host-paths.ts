import { lstat, readlink, realpath, stat } from "node:fs/promises";
import { posix } from "node:path";
import {
  notADirectory,
  notDirectoryOrFile,
  parentMissing,
  parentNotDirectory,
  sourceNotFound,
  tooManyLinks,
} from "./copy-errors.js";
import {
  type CopyDestination,
  type CopySource,
  hasTrailingSeparator,
  rebaseAfterResolve,
  splitPathDirEntry,
} from "./copy-rules.js";

/** As `docker cp`: a chain of symlinks at the destination is followed this far, no further. */
export const MAX_LINK_HOPS = 10;
const HOST = { kind: "host" } as const;

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Go's filepath.Split: everything up to and including the last "/", and the rest. */
function splitLast(path: string): { dir: string; base: string } {
  const slash = path.lastIndexOf("/");
  return { dir: path.slice(0, slash + 1), base: path.slice(slash + 1) };
}

/**
 * The host path to archive. Without `followLink` a symlink is copied as a link, but links in the
 * directories above it are resolved (and a trailing "/" resolves the last one too, keeping its
 * name); with it, the whole path is resolved and the copy keeps the name the user wrote.
 * `path` is absolute; `label` is how the user wrote it.
 */
export async function describeHostSource(
  path: string,
  followLink: boolean,
  label: string,
): Promise<CopySource> {
  try {
    let resolved: string;
    let rebaseName: string | undefined;
    if (followLink) {
      ({ path: resolved, rebaseName } = rebaseAfterResolve(path, await realpath(path)));
    } else {
      const { dir, base } = splitLast(path);
      resolved = `${(await realpath(dir)).replace(/\/$/, "")}/${base}`;
      if (hasTrailingSeparator(path) && posix.basename(path) !== posix.basename(resolved)) {
        rebaseName = posix.basename(path);
      }
    }
    const info = await lstat(resolved);
    return { path: resolved, isDir: info.isDirectory(), ...(rebaseName ? { rebaseName } : {}) };
  } catch (err) {
    const code = errnoOf(err);
    if (code === "ENOENT") throw sourceNotFound(label, HOST, splitPathDirEntry(path).dir);
    if (code === "ENOTDIR") throw notADirectory(label);
    if (code === "ELOOP") throw tooManyLinks(label);
    throw err;
  }
}

async function lstatOrUndefined(path: string, label: string) {
  try {
    return await lstat(path);
  } catch (err) {
    if (errnoOf(err) === "ENOENT") return undefined;
    if (errnoOf(err) === "ENOTDIR") throw notADirectory(label);
    throw err;
  }
}

/**
 * What is at the host destination: symlinks are followed (the copy goes where they point, and a
 * dangling one is created); a path that does not exist needs an existing parent directory.
 */
export async function describeHostDestination(
  path: string,
  label: string,
): Promise<CopyDestination> {
  let current = path;
  for (let hops = 0; ; hops++) {
    const info = await lstatOrUndefined(current, label);
    if (!info) break;
    if (!info.isSymbolicLink()) {
      if (!info.isDirectory() && !info.isFile()) throw notDirectoryOrFile(label);
      return { path: current, exists: true, isDir: info.isDirectory() };
    }
    if (hops >= MAX_LINK_HOPS) throw tooManyLinks(label);
    const target = await readlink(current);
    current = target.startsWith("/") ? target : posix.join(splitPathDirEntry(current).dir, target);
  }
  const parent = splitPathDirEntry(current).dir;
  const parentInfo = await stat(parent).catch(() => undefined);
  if (!parentInfo) throw parentMissing(label, HOST, parent);
  if (!parentInfo.isDirectory()) throw parentNotDirectory(label, parent);
  return { path: current, exists: false, isDir: false };
}
