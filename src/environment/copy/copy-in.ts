import { pipeline } from "node:stream";
import { EngineCallError } from "../../engine/types.js";
import type { ContainerDetails, ContainerEngine } from "../../engine/types.js";
import { ModelboxDevError } from "../../errors.js";
import { assertCopyable, describeContainerDestination } from "./container-paths.js";
import {
  copyFailed,
  directoryMustExist,
  directoryOntoFile,
  streamNeedsDirectory,
} from "./copy-errors.js";
import { type CopyDecision, decideCopy, landedPath } from "./copy-rules.js";
import { estimateArchiveBytes, packHostPath } from "./host-archive.js";
import { describeHostSource } from "./host-paths.js";
import type { ResolvedContext } from "../operation.js";
import { interrupted, progressCounter, wasAborted } from "./transfer.js";

export type CopyInSource =
  { kind: "host"; path: string; label: string } | { kind: "stream"; input: NodeJS.ReadableStream };

export interface CopyInOutcome {
  /** Where the copy landed in the environment. */
  path: string;
  bytes: number;
  warnings: string[];
}

interface Prepared {
  directory: string;
  landed: string;
  tar: NodeJS.ReadableStream;
  totalBytes?: number;
}

function refuse(
  decision: Exclude<CopyDecision, { ok: true }>,
  from: string,
  to: string,
  name: string,
  dir: string,
): never {
  if (decision.reason === "directory-onto-file") throw directoryOntoFile(from, to);
  throw directoryMustExist(to, { kind: "environment", name }, dir);
}

async function prepare(
  engine: ContainerEngine,
  details: ContainerDetails,
  containerPath: string,
  source: CopyInSource,
  followLink: boolean,
  warnings: string[],
): Promise<Prepared> {
  const label = `${details.name}:${containerPath}`;
  const destination = await describeContainerDestination(engine, details, containerPath, label);
  assertCopyable(details, destination.path, label, "to-environment");
  if (source.kind === "stream") {
    if (!destination.exists || !destination.isDir) throw streamNeedsDirectory(label);
    return { directory: destination.path, landed: destination.path, tar: source.input };
  }
  const host = await describeHostSource(source.path, followLink, source.label);
  const decision = decideCopy(host, destination);
  if (!decision.ok) refuse(decision, source.label, label, details.name, destination.path);
  return {
    directory: decision.directory,
    landed: landedPath(decision, host),
    tar: packHostPath(host, decision.rename, (message) => warnings.push(message)),
    totalBytes: await estimateArchiveBytes(host.path),
  };
}

/** Host path or tar stream → a path in the environment, through the engine's PUT archive. */
export async function copyIn(
  details: ContainerDetails,
  containerPath: string,
  source: CopyInSource,
  followLink: boolean,
  context: ResolvedContext,
): Promise<CopyInOutcome> {
  const { engine } = context;
  const warnings: string[] = [];
  const prepared = await prepare(engine, details, containerPath, source, followLink, warnings);
  const { directory, landed, tar, totalBytes } = prepared;
  const counter = progressCounter(context, totalBytes);
  // A failure to read the host side surfaces at the engine call as a broken upload: keep it.
  let readError: Error | undefined;
  tar.on("error", (err: Error) => (readError ??= err));
  pipeline(tar, counter.stream, () => undefined);
  context.emit({
    type: "transfer",
    phase: "start",
    direction: "to-environment",
    from: source.kind === "host" ? source.label : "-",
    to: `${details.name}:${landed}`,
    ...(totalBytes !== undefined ? { totalBytes } : {}),
  });
  try {
    await engine.putArchive(details.id, directory, counter.stream, {
      ...(context.signal ? { signal: context.signal } : {}),
    });
  } catch (err) {
    if (wasAborted(context.signal, err)) throw interrupted(`${details.name}:${landed}`);
    if (readError) {
      throw new ModelboxDevError(
        "COPY_FAILED",
        `Reading ${source.kind === "host" ? source.label : "stdin"} failed: ${readError.message}`,
        "Check that every file under it is readable.",
        { cause: readError },
      );
    }
    if (err instanceof EngineCallError) {
      throw copyFailed(
        `${details.name}:${directory}`,
        err.message,
        {
          kind: "environment",
          name: details.name,
        },
        err,
      );
    }
    throw err;
  }
  return { path: landed, bytes: counter.bytes(), warnings };
}
