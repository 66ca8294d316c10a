import type { ContainerDetails, ContainerEngine } from "../../engine/types.js";
import { ModelboxDevError } from "../../errors.js";
import { getEnvironment } from "../find.js";
import { type CopyRoute, parseCopyRoute } from "./copy-arguments.js";
import { type CopyInSource, copyIn } from "./copy-in.js";
import { type CopyOutTarget, copyOut } from "./copy-out.js";
import { assertCopyable } from "./container-paths.js";
import { type OperationContext, resolveContext } from "../operation.js";

const COPY_AGAIN =
  "Run the copy again: a file being written when it stopped may be incomplete at the destination.";

export interface CopyOptions {
  /** "NAME:PATH", a host path, or "-" (a tar stream read from `input`). */
  source: string;
  /** "NAME:PATH", a host path, or "-" (a tar stream written to `output`). */
  destination: string;
  /** -L: follow a symlink named as the source, instead of copying the link. */
  followLink?: boolean;
  /** Where relative host paths start (default: the process' working directory). */
  cwd?: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** What `cp --json` prints. */
export interface CopyResult {
  ok: true;
  name: string;
  direction: "to-environment" | "from-environment";
  source: string;
  destination: string;
  /** Where the copy landed: a path in the environment, a host path, or "-" for a stream. */
  path: string;
  /** Bytes of the tar stream moved (contents plus tar headers). */
  bytes: number;
  /** Entries unpacked on the host (copies from an environment to a host path). */
  entries?: number;
  seconds: number;
  warnings: string[];
}

function absoluteHostPath(path: string, cwd: string): string {
  // Joined by hand: path.resolve would drop the "/" and "/." endings the copy rules read.
  return path.startsWith("/") ? path : `${cwd.replace(/\/+$/, "")}/${path}`;
}

function missingStream(which: "input" | "output"): ModelboxDevError {
  return new ModelboxDevError(
    "INVALID_OPTION",
    `'-' needs a tar stream to ${which === "input" ? "read" : "write"}, and none was given.`,
    "Pass `input` (or `output`) with the options, or name a path instead of '-'.",
  );
}

function sourceOf(
  from: Extract<CopyRoute, { direction: "to-environment" }>["from"],
  options: CopyOptions,
  cwd: string,
): CopyInSource {
  if (from.kind === "host") {
    return { kind: "host", path: absoluteHostPath(from.path, cwd), label: from.path };
  }
  if (!options.input) throw missingStream("input");
  return { kind: "stream", input: options.input };
}

function targetOf(
  to: Extract<CopyRoute, { direction: "from-environment" }>["to"],
  options: CopyOptions,
  cwd: string,
): CopyOutTarget {
  if (to.kind === "host")
    return { kind: "host", path: absoluteHostPath(to.path, cwd), label: to.path };
  if (!options.output) throw missingStream("output");
  return { kind: "stream", output: options.output };
}

/** An abort at any step (not only mid-transfer) ends as INTERRUPTED, never as a raw error. */
async function withAbortAsInterrupt<T>(
  signal: AbortSignal | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (signal?.aborted && !(err instanceof ModelboxDevError && err.code === "INTERRUPTED")) {
      throw new ModelboxDevError("INTERRUPTED", "The copy was interrupted.", COPY_AGAIN, {
        cause: err,
      });
    }
    throw err;
  }
}

async function findEnvironment(
  engine: ContainerEngine,
  route: CopyRoute,
  options: CopyOptions,
): Promise<ContainerDetails> {
  try {
    return await getEnvironment(engine, route.name);
  } catch (err) {
    if (err instanceof ModelboxDevError && err.code === "NOT_FOUND") {
      const arg = route.direction === "to-environment" ? options.destination : options.source;
      throw new ModelboxDevError(
        "NOT_FOUND",
        err.message,
        `${err.hint ?? ""} A host path with a ':' in it is written './${arg}'.`.trim(),
      );
    }
    throw err;
  }
}

/**
 * Copies files between the host and an environment (`modelbox-dev cp`), with `docker cp`'s
 * path rules, through the engine's archive endpoints. Works on stopped environments too.
 */
export async function copy(options: CopyOptions, context?: OperationContext): Promise<CopyResult> {
  const route = parseCopyRoute(options.source, options.destination);
  const resolved = resolveContext(context);
  const details = await findEnvironment(resolved.engine, route, options);
  assertCopyable(
    details,
    route.containerPath,
    `${route.name}:${route.containerPath}`,
    route.direction,
  );
  const cwd = options.cwd ?? process.cwd();
  const followLink = options.followLink ?? false;
  const started = Date.now();
  const outcome = await withAbortAsInterrupt(resolved.signal, () =>
    route.direction === "to-environment"
      ? copyIn(
          details,
          route.containerPath,
          sourceOf(route.from, options, cwd),
          followLink,
          resolved,
        )
      : copyOut(
          details,
          route.containerPath,
          targetOf(route.to, options, cwd),
          followLink,
          resolved,
        ),
  );
  return {
    ok: true,
    name: details.name,
    direction: route.direction,
    source: options.source,
    destination: options.destination,
    ...outcome,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
