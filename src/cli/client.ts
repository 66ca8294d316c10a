import type { OperationContext, OperationEvent } from "../environment/operation.js";
import { logLine } from "./output.js";
import {
  type PullReporter,
  type TransferReporter,
  progressMode,
  pullReporter,
  transferReporter,
} from "./pull-progress.js";

/** Signals that ask a command to stop: Ctrl-C, and `kill` (or a service manager) with SIGTERM. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Runs `fn` with a signal that Ctrl-C or SIGTERM aborts: the operation undoes what it started
 * (an `up` removes the container it created) and throws INTERRUPTED, which main.ts turns into
 * exit status 130. A second signal meets Node's default handler and ends the process at once.
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => {
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
    controller.abort();
  };
  for (const s of STOP_SIGNALS) process.once(s, onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
  }
}

/**
 * The terminal's view of an operation's events: progress lines and warnings on stderr (none of
 * them with --json, which keeps stderr for JSON-lines pull progress), pull progress as a redrawn
 * block, a line per layer or JSON lines, and the environment's own output on stdout. Steps are
 * announced by their log lines; a web client shows the step events instead.
 */
export function renderEvents(json: boolean | undefined): (event: OperationEvent) => void {
  const reporters = new Map<string, PullReporter>();
  const reporter = (image: string) => {
    let r = reporters.get(image);
    if (!r) {
      r = pullReporter(image, progressMode(json, process.stderr), process.stderr);
      reporters.set(image, r);
    }
    return r;
  };
  let transfer: TransferReporter | undefined;
  return (event) => {
    switch (event.type) {
      case "image-archive":
        if (event.phase === "done") {
          transfer?.done();
          transfer = undefined;
          return;
        }
        transfer ??= transferReporter(
          event.label,
          event.total,
          progressMode(json, process.stderr),
          process.stderr,
        );
        transfer.add(event.bytes);
        return;
      case "log":
        if (!json) logLine(event.message);
        return;
      case "warning":
        if (!json) logLine(`warning: ${event.message}`);
        return;
      case "output":
        process.stdout.write(event.text);
        return;
      case "step":
      case "transfer": // shown by the commands that move files (cli/transfer-progress.ts)
      case "forward": // printed by `forward` itself, once it listens
        return;
      case "pull":
        if (event.phase === "trying") {
          const { registry, reference } = event;
          reporter(event.image).attempt({ kind: "trying", registry, reference });
        } else if (event.phase === "failed") {
          const { registry, reference, error, next } = event;
          reporter(event.image).attempt({
            kind: "failed",
            registry,
            reference,
            error,
            ...(next ? { next } : {}),
          });
        } else if (event.phase === "progress") reporter(event.image).progress(event.progress);
        else {
          reporters.get(event.image)?.done(event.source);
          reporters.delete(event.image);
        }
        return;
    }
  };
}

/** Runs an operation as a terminal client: Ctrl-C aborts it, its events are rendered. */
export function runOperation<T>(
  json: boolean | undefined,
  operation: (context: OperationContext) => Promise<T>,
): Promise<T> {
  return withInterrupt((signal) => operation({ signal, onEvent: renderEvents(json) }));
}
