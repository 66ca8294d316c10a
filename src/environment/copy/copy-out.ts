import { pipeline as connect } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ContainerDetails } from "../../engine/types.js";
import { ModelboxDevError } from "../../errors.js";
import { assertCopyable, describeContainerSource } from "./container-paths.js";
import {
  conflictingEntries,
  copyFailed,
  directoryMustExist,
  directoryOntoFile,
  sourceNotFound,
} from "./copy-errors.js";
import { type CopySource, decideCopy, landedPath, splitPathDirEntry } from "./copy-rules.js";
import { extractToHost } from "./host-archive.js";
import { describeHostDestination } from "./host-paths.js";
import type { ResolvedContext } from "../operation.js";
import { interrupted, progressCounter, wasAborted } from "./transfer.js";

export type CopyOutTarget =
  { kind: "host"; path: string; label: string } | { kind: "stream"; output: NodeJS.WritableStream };

export interface CopyOutOutcome {
  /** Where the copy landed on the host ("-" for a stream). */
  path: string;
  bytes: number;
  entries?: number;
  warnings: string[];
}

const BLOCK = 512;

/** The tar of one file: its header, its padded contents, the end blocks. */
function fileArchiveBytes(size: number): number {
  return BLOCK + Math.ceil(size / BLOCK) * BLOCK + 2 * BLOCK;
}

interface HostPlan {
  directory: string;
  landed: string;
  rename?: { from: string; to: string };
}

async function planHostSide(
  source: CopySource,
  target: { path: string; label: string },
  label: string,
): Promise<HostPlan> {
  const destination = await describeHostDestination(target.path, target.label);
  const decision = decideCopy(source, destination);
  if (!decision.ok) {
    if (decision.reason === "directory-onto-file") throw directoryOntoFile(label, target.label);
    throw directoryMustExist(target.label, { kind: "host" }, destination.path);
  }
  return {
    directory: decision.directory,
    landed: landedPath(decision, source),
    ...(decision.rename ? { rename: decision.rename } : {}),
  };
}

async function unpackOnHost(
  tar: NodeJS.ReadableStream,
  plan: HostPlan,
  signal: AbortSignal | undefined,
): Promise<{ entries: number; warnings: string[] }> {
  const report = await extractToHost(tar, plan.directory, plan.rename, signal);
  if (report.conflicts.length > 0) throw conflictingEntries(plan.landed, report.conflicts);
  if (report.failures.length > 0) {
    throw copyFailed(plan.landed, report.failures[0] ?? "", { kind: "host" });
  }
  return { entries: report.entries, warnings: report.skipped.map((s) => `Not copied: ${s}`) };
}

/** A path in the environment → host path or tar stream, through the engine's GET archive. */
export async function copyOut(
  details: ContainerDetails,
  containerPath: string,
  target: CopyOutTarget,
  followLink: boolean,
  context: ResolvedContext,
): Promise<CopyOutOutcome> {
  const { engine } = context;
  const label = `${details.name}:${containerPath}`;
  const source = await describeContainerSource(engine, details, containerPath, followLink, label);
  assertCopyable(details, source.path, label, "from-environment");
  const sink =
    target.kind === "host"
      ? { kind: "host" as const, plan: await planHostSide(source, target, label) }
      : target;
  const landed = sink.kind === "host" ? sink.plan.landed : "-";
  const signal = context.signal ? { signal: context.signal } : {};
  const archive = await engine.getArchive(details.id, source.path, signal);
  if (!archive) {
    const side = { kind: "environment", name: details.name } as const;
    throw sourceNotFound(label, side, splitPathDirEntry(containerPath).dir);
  }
  const totalBytes = archive.stat.kind === "file" ? fileArchiveBytes(archive.stat.size) : undefined;
  const counter = progressCounter(context, totalBytes);
  context.emit({
    type: "transfer",
    phase: "start",
    direction: "from-environment",
    from: label,
    to: target.kind === "host" ? target.label : "-",
    ...(totalBytes !== undefined ? { totalBytes } : {}),
  });
  try {
    if (sink.kind === "stream") {
      // The caller's stream (stdout) stays open: it is not ours to close.
      await pipeline(archive.tar, counter.stream, sink.output, { ...signal, end: false });
      return { path: "-", bytes: counter.bytes(), warnings: [] };
    }
    connect(archive.tar, counter.stream, () => undefined); // errors reach the unpacking side
    const unpacked = await unpackOnHost(counter.stream, sink.plan, context.signal);
    return { path: landed, bytes: counter.bytes(), ...unpacked };
  } catch (err) {
    if (err instanceof ModelboxDevError) throw err;
    if (wasAborted(context.signal, err)) throw interrupted(landed);
    const reason = err instanceof Error ? err.message : String(err);
    throw copyFailed(landed, reason, { kind: "host" }, err);
  }
}
