/**
 * The one small interface between an operation and its client: events go out as they happen,
 * cancellation comes in as an AbortSignal. A terminal renders the events as lines; a web server
 * streams the same events to a browser.
 */
import type { ContainerEngine, PullProgressEvent } from "../engine/types.js";
import { createEngine } from "../engine/create-engine.js";
import { type ErrorCode, ModelboxDevError } from "../errors.js";
import type { StepId } from "../plan/types.js";
import type { ForwardResult } from "./forward/forward.js";

export type StepStatus = "started" | "done" | "skipped" | "failed";

/** A step of the plan starts, ends, is skipped (with why), or fails (with the error's message). */
export interface StepEvent {
  type: "step";
  id: StepId;
  title: string;
  status: StepStatus;
  detail?: string;
}

/**
 * A pull, from the registries in order: which one is tried, one that failed (and the next),
 * layer progress as the engine reports it, and the end (with where the image came from).
 */
export type PullEvent =
  | { type: "pull"; image: string; phase: "trying"; registry: string; reference: string }
  | {
      type: "pull";
      image: string;
      phase: "failed";
      registry: string;
      reference: string;
      error: { code: ErrorCode; message: string };
      next?: string;
    }
  | { type: "pull"; image: string; phase: "progress"; progress: PullProgressEvent }
  | {
      type: "pull";
      image: string;
      phase: "done";
      /** Set when the image was pulled (absent when the pull failed or was interrupted). */
      source?: { registry: string; reference: string; repoDigest?: string };
    };

/** A progress line for people ("Waiting for sshd on port 50022…"). */
export interface LogEvent {
  type: "log";
  message: string;
}

/** Something the user should know that does not stop the operation. */
export interface WarningEvent {
  type: "warning";
  message: string;
}

/** Bytes moving to or from the engine (`image save`, `image load`): since the last event. */
export type ImageArchiveEvent =
  | {
      type: "image-archive";
      label: "Saving" | "Loading";
      phase: "progress";
      bytes: number;
      total?: number;
    }
  | { type: "image-archive"; label: "Saving" | "Loading"; phase: "done" };

/** Output of the environment itself (`logs --follow`), as it arrives. */
export interface OutputEvent {
  type: "output";
  text: string;
}

/**
 * Bytes of a copy moving (`cp`): where from and to (with the archive's expected size when it
 * can be known beforehand), then the running total of the tar stream.
 */
export type TransferEvent =
  | {
      type: "transfer";
      phase: "start";
      direction: "to-environment" | "from-environment";
      from: string;
      to: string;
      totalBytes?: number;
    }
  | { type: "transfer"; phase: "progress"; bytes: number; totalBytes?: number };

/** A port forward listens (`forward`): what `forward --json` prints, the URL to open. */
export interface ForwardEvent {
  type: "forward";
  phase: "ready";
  forward: ForwardResult;
}

export type OperationEvent =
  | StepEvent
  | PullEvent
  | LogEvent
  | WarningEvent
  | OutputEvent
  | TransferEvent
  | ImageArchiveEvent
  | ForwardEvent;

/** What every operation takes besides its options. All optional. */
export interface OperationContext {
  /** The engine to act on; default: the one the CLI uses (DOCKER_HOST, else the local socket). */
  engine?: ContainerEngine;
  /** Aborting stops the operation at the next step; it then fails with INTERRUPTED. */
  signal?: AbortSignal;
  /** Progress, as it happens. */
  onEvent?: (event: OperationEvent) => void;
}

/** The context with its defaults filled in, as the operations use it. */
export interface ResolvedContext {
  engine: ContainerEngine;
  signal?: AbortSignal;
  emit: (event: OperationEvent) => void;
  log: (message: string) => void;
}

export function resolveContext(context: OperationContext = {}): ResolvedContext {
  const emit = (event: OperationEvent) => context.onEvent?.(event);
  return {
    engine: context.engine ?? createEngine(),
    ...(context.signal ? { signal: context.signal } : {}),
    emit,
    log: (message) => emit({ type: "log", message }),
  };
}

/** Throws INTERRUPTED when the signal has fired (checked between steps). */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (!signal?.aborted) return;
  throw new ModelboxDevError(
    "INTERRUPTED",
    `${what} was interrupted.`,
    "Run the command again; what was already done is reused.",
  );
}
