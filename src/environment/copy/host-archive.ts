import { type Stats, lstatSync } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import * as tar from "tar";
import { type CopySource, type Rename, rebaseEntryPath, splitPathDirEntry } from "./copy-rules.js";

/**
 * The host side of a copy: packing a host path into the tar the engine unpacks, and unpacking
 * the engine's tar onto the host. node-tar does the format and the safe extraction (no paths
 * outside the directory, no writing through symlinks); this module only renames the top entry
 * as `docker cp`'s rules decided and refuses what `docker cp` refuses.
 */

const BLOCK = 512;

/**
 * Each entry under `path` (itself included), lstat'ed, directories read as they come; `visit`
 * returning true ends the walk. Entries that vanish or cannot be read are passed over.
 */
async function walkHostTree(path: string, visit: (info: Stats) => boolean | void): Promise<void> {
  const pending = [path];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const info = await lstat(next).catch(() => undefined);
    if (!info) continue;
    if (visit(info)) return;
    if (info.isDirectory()) {
      const names = await readdir(next).catch(() => [] as string[]);
      pending.push(...names.map((name) => join(next, name)));
    }
  }
}

/** Roughly how large the tar of a host path will be (headers + padded contents), for progress. */
export async function estimateArchiveBytes(path: string): Promise<number> {
  let bytes = 2 * BLOCK; // the end-of-archive blocks
  await walkHostTree(path, (info) => {
    bytes += BLOCK;
    if (info.isFile()) bytes += Math.ceil(info.size / BLOCK) * BLOCK;
  });
  return bytes;
}

/**
 * The tar of `source.path` (links inside it stay links), its top entry renamed. A tree with hard
 * links is packed one entry at a time: with read-ahead, node-tar's Pack waits for ever on hard
 * links spread over several directories (isaacs/node-tar#460, still open in 7.5.24); one job at
 * a time never defers a link, and keeps them links (18.8k files: ~1.3-1.7× the time, so only
 * when there is a hard link).
 */
export function packHostPath(
  source: CopySource,
  rename: Rename | undefined,
  onWarning: (message: string) => void,
): NodeJS.ReadableStream {
  const { dir, base } = splitPathDirEntry(source.path);
  async function* packed(): AsyncGenerator<Buffer> {
    const oneAtATime = await hasHardLinks(resolve(dir, base));
    const pack = tar.create(
      {
        cwd: dir,
        ...(oneAtATime ? { jobs: 1 } : {}),
        onwarn: (_code, message) => onWarning(message),
        // Called just before each header is written: the one place to rename an entry.
        onWriteEntry: (entry) => {
          entry.path = rebaseEntryPath(entry.path, rename);
          if (entry.type === "Link" && entry.linkpath) {
            entry.linkpath = rebaseEntryPath(entry.linkpath, rename);
          }
        },
      },
      [base],
    );
    for await (const chunk of pack) yield chunk;
  }
  // A Node stream, so errors and backpressure travel the usual way.
  return Readable.from(packed(), { objectMode: false });
}

/** Whether a file under `path` (itself included) has more than one hard link. */
async function hasHardLinks(path: string): Promise<boolean> {
  let found = false;
  await walkHostTree(path, (info) => (found = info.isFile() && info.nlink > 1));
  return found;
}

/**
 * As `docker cp` (NoOverwriteDirNonDir): an entry never replaces a directory with something else,
 * or something else (a file, a link) with a directory.
 */
function replacesOtherKind(directory: string, entryPath: string, type: string): boolean {
  try {
    const existing = lstatSync(join(directory, entryPath.replace(/\/+$/, "")));
    return existing.isDirectory() !== (type === "Directory");
  } catch {
    return false;
  }
}

export interface ExtractReport {
  entries: number;
  /** Entries not written because something of the other kind was in the way. */
  conflicts: string[];
  /** Entries node-tar could not write (the first few messages). */
  failures: string[];
  /** Entries of a kind that is not unpacked on the host (devices, FIFOs). */
  skipped: string[];
}

/** Unpacks the engine's tar into the existing host directory `directory`. */
export function extractToHost(
  input: NodeJS.ReadableStream,
  directory: string,
  rename: Rename | undefined,
  signal?: AbortSignal,
): Promise<ExtractReport> {
  const report: ExtractReport = { entries: 0, conflicts: [], failures: [], skipped: [] };
  const refused: string[] = [];
  const unpack = new tar.Unpack({
    cwd: directory,
    // As docker cp: files belong to the user who copies, with the archive's permission bits.
    preserveOwner: false,
    chmod: true,
    processUmask: 0,
    onwarn: (code, message) => {
      if (code === "TAR_ENTRY_UNSUPPORTED") report.skipped.push(message);
      else if (report.failures.length < 20) report.failures.push(message);
    },
    // The filter sees each entry before it is unpacked: rename it here, or leave it out.
    filter: (path, entry) => {
      const readEntry = entry as tar.ReadEntry;
      const target = rebaseEntryPath(path, rename);
      // What lies under a refused directory is left out with it.
      if (refused.some((dir) => target.startsWith(dir))) return false;
      if (replacesOtherKind(directory, target, readEntry.type)) {
        report.conflicts.push(target);
        if (readEntry.type === "Directory") refused.push(target.replace(/\/*$/, "/"));
        return false;
      }
      readEntry.path = target;
      if (readEntry.type === "Link" && readEntry.linkpath) {
        readEntry.linkpath = rebaseEntryPath(readEntry.linkpath, rename);
      }
      report.entries++;
      return true;
    },
  });
  return new Promise<ExtractReport>((resolve, reject) => {
    const fail = (err: unknown) => {
      signal?.removeEventListener("abort", abort);
      (input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const abort = () => fail(signal?.reason ?? new Error("aborted"));
    if (signal?.aborted) return abort();
    signal?.addEventListener("abort", abort, { once: true });
    input.on("error", fail);
    unpack.on("error", fail);
    // Unpack finishes once every entry is on disk, not merely read.
    unpack.on("close", () => {
      signal?.removeEventListener("abort", abort);
      resolve(report);
    });
    input.pipe(unpack);
  });
}
