import { constants } from "node:os";
import { forward } from "../../environment/forward/forward.js";
import type { OperationEvent } from "../../environment/operation.js";
import { renderEvents } from "../client.js";
import { logLine, printJson, printLine } from "../output.js";

const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Forwards a local port to the environment until Ctrl-C, which ends it cleanly with exit status
 * 130 (the status a shell gives SIGINT), as the rest of the CLI; SIGTERM and SIGHUP end it
 * cleanly too (143, 129).
 */
export async function run(
  name: string,
  port: string | undefined,
  flags: { json?: boolean; timeout?: string },
): Promise<number> {
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals = "SIGINT";
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const render = renderEvents(flags.json);
  const onEvent = (event: OperationEvent) => {
    if (event.type !== "forward") return render(event);
    const f = event.forward;
    if (flags.json) return printJson({ ...f });
    printLine(`Forwarding ${f.url} → ${f.name} port ${f.remotePort}`);
    logLine("Press Ctrl-C to stop.");
  };
  try {
    const result = await forward(
      {
        name,
        ...(port !== undefined ? { port } : {}),
        ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
      },
      { signal: controller.signal, onEvent },
    );
    if (!flags.json) logLine(`Stopped forwarding 127.0.0.1:${result.localPort}.`);
    return 128 + constants.signals[stoppedBy];
  } finally {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
  }
}
