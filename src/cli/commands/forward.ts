import { constants } from "node:os";
import { forward } from "../../environment/forward/forward.js";
import { createEngine } from "../context.js";
import { logLine, printJson, printLine } from "../output.js";
import { parseTimeoutSeconds } from "../parse-timeout.js";

/**
 * Forwards a local port to the environment until Ctrl-C, which ends it cleanly with exit status
 * 130 (the status a shell gives SIGINT), as the rest of the CLI; SIGTERM and SIGHUP end it
 * cleanly too (143, 129).
 */
export async function run(
  name: string,
  ports: string,
  flags: { json?: boolean; timeout?: string },
): Promise<number> {
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals = "SIGINT";
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, onSignal);
  try {
    const info = await forward(
      {
        name,
        ports,
        ...(flags.timeout ? { timeoutSeconds: parseTimeoutSeconds(flags.timeout) } : {}),
      },
      {
        engine: createEngine(),
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === "ssh-output") return logLine(`ssh: ${event.line}`);
          const f = event.forward;
          if (flags.json) return printJson({ ...f });
          printLine(`Forwarding ${f.url} → ${f.name} port ${f.remotePort}`);
          logLine("Press Ctrl-C to stop.");
        },
      },
    );
    if (!flags.json) logLine(`Stopped forwarding 127.0.0.1:${info.localPort}.`);
    return 128 + constants.signals[stoppedBy];
  } finally {
    for (const signal of signals) process.removeListener(signal, onSignal);
  }
}
