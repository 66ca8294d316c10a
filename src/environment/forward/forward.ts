import { type ChildProcess, spawn } from "node:child_process";
import { requireSshClient } from "../../access/ssh-client.js";
import { renderSshCommand } from "../../access/ssh-command.js";
import { ModelboxDevError } from "../../errors.js";
import { listenCheck } from "../../host/probe-ports.js";
import { parseTimeoutSeconds } from "../../plan/validate.js";
import { type OperationContext, resolveContext } from "../operation.js";
import { resolveSshTarget, sshArgv } from "../ssh-target.js";
import { forwardUrl, localForwardSpec, parsePortPair } from "./port-pair.js";

export interface ForwardOptions {
  name: string;
  /** "PORT" or "LOCAL:REMOTE". */
  port: string;
  /** Seconds ssh may take to log in and listen (default 30). */
  timeout?: number | string;
}

/** What `forward --json` prints once the forward listens (and `forward` returns at its end). */
export interface ForwardResult {
  ok: true;
  name: string;
  localAddress: "127.0.0.1";
  localPort: number;
  remotePort: number;
  url: string;
  /** The equivalent plain ssh command line. */
  command: string;
}

const POLL_MS = 100;

/** ssh's stderr, line by line: kept for an error before the forward is up, passed on after. */
function collectLines(child: ChildProcess, onLine: (line: string) => void): void {
  let rest = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    const lines = (rest + chunk.toString("utf8")).split(/\r?\n/);
    rest = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") onLine(line);
  });
}

function failed(name: string, why: string, lines: string[]): ModelboxDevError {
  return new ModelboxDevError(
    "FORWARD_FAILED",
    `The forward to ${name} ${why}.`,
    `Check that 'modelbox-dev ssh ${name}' logs in; 'modelbox-dev ssh ${name} -v -N -L …' shows ssh's side.`,
    { details: lines.slice(-10) },
  );
}

/** Resolves when ssh listens on the local port; rejects when ssh ends or time runs out. */
async function waitUntilListening(
  child: ChildProcess,
  port: number,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<"listening" | "exited" | "timeout" | "aborted"> {
  for (;;) {
    if (signal?.aborted) return "aborted";
    if (child.exitCode !== null || child.signalCode !== null) return "exited";
    if (!(await listenCheck(port, "127.0.0.1"))) return "listening";
    if (Date.now() > deadline) return "timeout";
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Ends ssh and waits for it (it holds the port until it is gone). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

/**
 * `modelbox-dev forward NAME PORT[:PORT]`: `ssh -N -L 127.0.0.1:LOCAL:127.0.0.1:REMOTE` to the
 * environment, with its key and host keys. Emits a `forward` event (with the URL) once the local
 * port listens, and ssh's own messages as `log` events; runs until the signal aborts (then it
 * resolves: that is how a forward ends) or ssh ends (FORWARD_FAILED).
 */
export async function forward(
  options: ForwardOptions,
  context?: OperationContext,
): Promise<ForwardResult> {
  const pair = parsePortPair(options.port);
  const timeoutSeconds =
    options.timeout === undefined ? 30 : parseTimeoutSeconds(String(options.timeout));
  const { engine, signal, emit } = resolveContext(context);
  const { details, target } = await resolveSshTarget(engine, options.name);
  if (!(await listenCheck(pair.local, "127.0.0.1"))) {
    throw new ModelboxDevError(
      "PORT_IN_USE",
      `Port ${pair.local} on 127.0.0.1 is in use on this host.`,
      `Pick another local port: 'modelbox-dev forward ${details.name} ${pair.local + 10000 <= 65535 ? pair.local + 10000 : 18000}:${pair.remote}'.`,
    );
  }
  const userOptions = ["-N", "-o", "ExitOnForwardFailure=yes", "-L", localForwardSpec(pair)];
  const info: ForwardResult = {
    ok: true,
    name: details.name,
    localAddress: "127.0.0.1",
    localPort: pair.local,
    remotePort: pair.remote,
    url: forwardUrl(pair),
    command: renderSshCommand(target).replace(/^ssh /, `ssh ${userOptions.join(" ")} `),
  };
  const child = spawn(requireSshClient(), sshArgv(target, userOptions, []), {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const lines: string[] = [];
  let ready = false;
  collectLines(child, (line) => {
    lines.push(line);
    if (lines.length > 20) lines.shift();
    if (ready) emit({ type: "log", message: `ssh: ${line}` });
  });
  const ended = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + timeoutSeconds * 1000;
  try {
    const state = await waitUntilListening(child, pair.local, deadline, signal);
    if (state === "aborted") return info;
    if (state === "exited") throw failed(details.name, "could not be set up", lines);
    if (state === "timeout") throw failed(details.name, "did not listen in time", lines);
    ready = true;
    emit({ type: "forward", phase: "ready", forward: info });
    const aborted = new Promise<void>((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener("abort", () => resolve(), { once: true });
    });
    await Promise.race([ended, aborted]);
    // Ctrl-C reaches ssh too (same terminal): let this process see its own SIGINT first.
    await new Promise((r) => setTimeout(r, 200));
    if (signal?.aborted) return info;
    throw failed(details.name, "ended: the SSH connection closed", lines);
  } finally {
    await stop(child);
  }
}
