import { ModelboxDevError } from "../../errors.js";

/**
 * The failures `docker cp` reports, with the same meaning, in sentences that name the paths as
 * the user wrote them and hints that say what to do. `where` is "NAME:/path" or a host path.
 */

export type Side = { kind: "environment"; name: string } | { kind: "host" };

function mkdirHint(side: Side, dir: string): string {
  return side.kind === "environment"
    ? `Create it first: 'modelbox-dev exec ${side.name} -- mkdir -p ${dir}'.`
    : `Create it first: 'mkdir -p ${dir}'.`;
}

export function sourceNotFound(where: string, side: Side, dir: string): ModelboxDevError {
  return new ModelboxDevError(
    "PATH_NOT_FOUND",
    `Nothing at ${where}.`,
    side.kind === "environment"
      ? `See what is there: 'modelbox-dev exec ${side.name} -- ls -la ${dir}'.`
      : "Check the path (a relative path starts from the current directory).",
  );
}

export function notADirectory(where: string): ModelboxDevError {
  return new ModelboxDevError(
    "PATH_CONFLICT",
    `${where} is not a directory, but the path ends with '/' or '/.'.`,
    "Drop the trailing '/' (or '/.') to copy the file itself.",
  );
}

export function directoryOntoFile(source: string, destination: string): ModelboxDevError {
  return new ModelboxDevError(
    "PATH_CONFLICT",
    `Cannot copy the directory ${source} onto the file ${destination}.`,
    "Name a directory as the destination, or a path that does not exist yet (it is created).",
  );
}

export function directoryMustExist(where: string, side: Side, dir: string): ModelboxDevError {
  return new ModelboxDevError(
    "PATH_NOT_FOUND",
    `The directory ${where} does not exist (a destination ending in '/' must be an existing directory).`,
    `${mkdirHint(side, dir)} Or drop the trailing '/' to copy to that name.`,
  );
}

export function parentMissing(where: string, side: Side, parent: string): ModelboxDevError {
  return new ModelboxDevError(
    "PATH_NOT_FOUND",
    `The directory ${parent} does not exist, so ${where} cannot be created in it.`,
    mkdirHint(side, parent),
  );
}

export function parentNotDirectory(where: string, parent: string): ModelboxDevError {
  return new ModelboxDevError(
    "PATH_CONFLICT",
    `${parent} is not a directory, so ${where} cannot be created in it.`,
    "Pick a destination inside a directory.",
  );
}

export function notDirectoryOrFile(where: string): ModelboxDevError {
  return new ModelboxDevError(
    "PATH_CONFLICT",
    `${where} is neither a directory nor a regular file.`,
    "Copy to a directory or a regular file.",
  );
}

export function streamNeedsDirectory(where: string): ModelboxDevError {
  return new ModelboxDevError(
    "PATH_CONFLICT",
    `A tar stream from stdin is unpacked into a directory, and ${where} is not an existing directory.`,
    "Name an existing directory as the destination.",
  );
}

export function tooManyLinks(where: string): ModelboxDevError {
  return new ModelboxDevError(
    "PATH_CONFLICT",
    `Too many symbolic links in ${where}.`,
    "Copy the link's final target directly.",
  );
}

/** tmpfs mounts and kernel filesystems live in the running container only; the engine's copy reads and writes the container's own filesystem, under them. */
export function notCopyable(
  where: string,
  name: string,
  mount: { point: string; kind: "tmpfs" | "kernel" },
  direction: "to-environment" | "from-environment",
): ModelboxDevError {
  const what =
    mount.kind === "tmpfs"
      ? `a tmpfs mount (${mount.point})`
      : `a kernel filesystem (${mount.point})`;
  const viaExec =
    direction === "to-environment"
      ? `tar -cf - FILE | modelbox-dev exec ${name} -- tar -xf - -C ${mount.point}`
      : `modelbox-dev exec ${name} -- tar -cf - -C ${mount.point} FILE | tar -xf -`;
  return new ModelboxDevError(
    "PATH_NOT_COPYABLE",
    `${where} is on ${what}, which exists only inside the running container: the engine's copy cannot reach it.`,
    `Copy to or from another directory (e.g. /root), or stream a tar through exec: '${viaExec}'.`,
  );
}

/** The engine refused to unpack, or the host could not write: say why and what usually helps. */
export function copyFailed(where: string, reason: string, side: Side, cause?: unknown) {
  const hint = /read-only/i.test(reason)
    ? "That filesystem is read-only; copy somewhere writable (e.g. /root)."
    : /overwrite|exists/i.test(reason)
      ? "A directory and a file of the same name are in the way; remove or rename one, then copy again."
      : /no space/i.test(reason)
        ? "Free some disk space, then copy again."
        : /permission|EACCES|EPERM/i.test(reason)
          ? "Check the permissions of the destination."
          : side.kind === "environment"
            ? `Check the path with 'modelbox-dev exec ${side.name} -- ls -la ${where.slice(side.name.length + 1)}'.`
            : "Check the path and its permissions.";
  return new ModelboxDevError(
    "COPY_FAILED",
    `Copying to ${where} failed: ${reason}`,
    hint,
    cause === undefined ? undefined : { cause },
  );
}

export function conflictingEntries(where: string, paths: string[]): ModelboxDevError {
  const examples = paths.slice(0, 3).join(", ");
  return new ModelboxDevError(
    "PATH_CONFLICT",
    `${paths.length} path(s) under ${where} were not copied: a directory would replace a file there, or the reverse (${examples}).`,
    "Remove or rename what is in the way, then copy again.",
    { details: paths.slice(0, 20).map((p) => `  ${p}`) },
  );
}
