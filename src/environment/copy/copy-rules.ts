import { posix } from "node:path";

/**
 * `docker cp`'s path rules, as pure functions over "/"-separated paths (the same on the host and
 * in the container). They decide where an archive is unpacked and whether its top entry is
 * renamed; nothing here touches a filesystem.
 */

/** What is being copied: `path` is what gets archived (links resolved as the rules say). */
export interface CopySource {
  path: string;
  isDir: boolean;
  /** The name the copy takes instead of `path`'s last element (a followed symlink's name). */
  rebaseName?: string;
}

/** Where it goes: the path as given (symlinks followed), and what is there now. */
export interface CopyDestination {
  path: string;
  exists: boolean;
  isDir: boolean;
}

/** Top-level archive entries named `from` are unpacked as `to`. */
export interface Rename {
  from: string;
  to: string;
}

export type CopyDecision =
  | { ok: true; directory: string; rename?: Rename }
  | { ok: false; reason: "directory-onto-file" | "directory-must-exist" };

export function hasTrailingSeparator(path: string): boolean {
  return path.length > 1 && path.endsWith("/");
}

/** "dir/." or "dir/./": the contents of dir, not dir itself. */
export function specifiesCurrentDir(path: string): boolean {
  return posix.basename(path) === ".";
}

/** Go's filepath.Clean: normalised, no trailing separator (except the root). */
export function cleanPath(path: string): string {
  const normal = posix.normalize(path === "" ? "." : path);
  return normal.length > 1 ? normal.replace(/\/+$/, "") : normal;
}

/** The directory and the entry in it; a path ending in "/." keeps "." as the entry. */
export function splitPathDirEntry(path: string): { dir: string; base: string } {
  let cleaned = cleanPath(path);
  if (specifiesCurrentDir(path)) cleaned = cleaned === "/" ? "/." : `${cleaned}/.`;
  const base = posix.basename(cleaned);
  return { dir: posix.dirname(cleaned), base: base === "" ? "." : base };
}

/**
 * After following a symlink: the path to archive, with the "/." or "/" the user wrote carried
 * over, and the name the copy keeps when the link's target has another name.
 */
export function rebaseAfterResolve(
  path: string,
  resolved: string,
): { path: string; rebaseName?: string } {
  let out = resolved;
  if (specifiesCurrentDir(path) && !specifiesCurrentDir(out)) out += "/.";
  if (hasTrailingSeparator(path) && !hasTrailingSeparator(out)) out += "/";
  const wanted = posix.basename(path);
  return posix.basename(out) === wanted ? { path: out } : { path: out, rebaseName: wanted };
}

/**
 * Where to unpack, and what to rename, for `docker cp`'s cases:
 * - destination is an existing directory: unpack into it (a directory source lands as a child,
 *   or its contents with "/.");
 * - destination is an existing file: a file overwrites it, a directory is an error;
 * - destination does not exist: the source is created under that name, unless the destination
 *   ends with "/" and the source is a file (the directory must exist).
 */
export function decideCopy(source: CopySource, destination: CopyDestination): CopyDecision {
  const { dir: destinationDir, base: destinationBase } = splitPathDirEntry(destination.path);
  // The archive names its top entry after the archived path; the copy is named after what the
  // user wrote (a followed link keeps its own name), or after the destination.
  const archiveBase = splitPathDirEntry(source.path).base;
  const visibleBase = source.rebaseName ?? archiveBase;
  const decision = (directory: string, name: string): CopyDecision => ({
    ok: true,
    directory,
    ...(name === archiveBase ? {} : { rename: { from: archiveBase, to: name } }),
  });
  if (destination.exists && destination.isDir) {
    return decision(cleanPath(destination.path), visibleBase);
  }
  if (destination.exists && source.isDir) return { ok: false, reason: "directory-onto-file" };
  if (destination.exists || source.isDir) return decision(destinationDir, destinationBase);
  if (hasTrailingSeparator(destination.path)) return { ok: false, reason: "directory-must-exist" };
  return decision(destinationDir, destinationBase);
}

/** Strips "./" prefixes: "./a" → "a", "./" and "." → "". */
function withoutDotPrefix(entry: string): string {
  const stripped = entry.replace(/^(\.\/)+/, "");
  return stripped === "." ? "" : stripped;
}

/** An archive entry's path with its top element renamed (`docker cp`'s RebaseArchiveEntries). */
export function rebaseEntryPath(entry: string, rename: Rename | undefined): string {
  if (!rename || rename.from === rename.to) return entry;
  const path = withoutDotPrefix(entry);
  if (rename.from === ".") {
    if (path === "") return entry.endsWith("/") ? `${rename.to}/` : rename.to;
    return `${rename.to}/${path}`;
  }
  if (path === rename.from) return rename.to;
  if (path.startsWith(`${rename.from}/`)) return `${rename.to}${path.slice(rename.from.length)}`;
  return entry;
}

/** The path the copy's top entry has after unpacking (what a user looks for afterwards). */
export function landedPath(
  decision: { directory: string; rename?: Rename },
  source: CopySource,
): string {
  const name = decision.rename?.to ?? splitPathDirEntry(source.path).base;
  return name === "." ? decision.directory : posix.join(decision.directory, name);
}
