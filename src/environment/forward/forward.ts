import { requireSshClient } from "../../access/ssh-client.js";
import { startLocalForward } from "../../access/ssh-tunnel.js";
import type { ContainerDetails } from "../../engine/types.js";
import { LABELS, parsePortsLabel } from "../../labels.js";
import { CONTAINER_PORTS } from "../../plan/options.js";
import { renderSshCommand } from "../../access/ssh-command.js";
import { ModelboxDevError } from "../../errors.js";
import { listenCheck } from "../../host/probe-ports.js";
import { parseTimeoutSeconds } from "../../plan/validate.js";
import { UNSHARED_LOGIN } from "../../ssh-shared-login.js";
import { type OperationContext, resolveContext } from "../operation.js";
import { resolveSshTarget, sshArgv } from "../ssh-target.js";
import { type PortPair, forwardUrl, localForwardSpec, parsePortPair } from "./port-pair.js";

export interface ForwardOptions {
  name: string;
  /** "PORT" or "LOCAL:REMOTE"; default: the editor, on its published port here. */
  port?: string;
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

function failed(name: string, why: string, lines: string[]): ModelboxDevError {
  return new ModelboxDevError(
    "FORWARD_FAILED",
    `The forward to ${name} ${why}.`,
    `Check that 'modelbox-dev ssh ${name}' logs in; 'modelbox-dev ssh ${name} -v -N -L …' shows ssh's side.`,
    { details: lines.slice(-10) },
  );
}

/**
 * Without a PORT: the editor, on the local port its URL names (the published one), so the URL
 * that `up` and `status` print works here, also when it listens on a remote host's loopback.
 */
function editorPair(details: ContainerDetails): PortPair {
  const published = parsePortsLabel(details.labels[LABELS.ports]).editor;
  if (published === undefined) {
    throw new ModelboxDevError(
      "NO_EDITOR",
      `Environment ${JSON.stringify(details.name)} has no editor port to forward.`,
      `Name the port: 'modelbox-dev forward ${details.name} PORT' (or LOCAL:REMOTE).`,
    );
  }
  const inside = details.ports.find((p) => p.hostPort === published)?.containerPort;
  return { local: published, remote: inside ?? CONTAINER_PORTS.editor };
}

/**
 * `modelbox-dev forward NAME [PORT[:PORT]]`: `ssh -N -L 127.0.0.1:LOCAL:127.0.0.1:REMOTE` to the
 * environment, with its key and host keys (and `-J` through the engine's host when the ports
 * listen on that host's loopback). Emits a `forward` event (with the URL) once the local
 * port listens, and ssh's own messages as `log` events; runs until the signal aborts (then it
 * resolves: that is how a forward ends) or ssh ends (FORWARD_FAILED).
 */
export async function forward(
  options: ForwardOptions,
  context?: OperationContext,
): Promise<ForwardResult> {
  const given = options.port === undefined ? undefined : parsePortPair(options.port);
  const timeoutSeconds =
    options.timeout === undefined ? 30 : parseTimeoutSeconds(String(options.timeout));
  const { engine, signal, emit } = resolveContext(context);
  const { details, target } = await resolveSshTarget(engine, options.name);
  const pair = given ?? editorPair(details);
  if (!(await listenCheck(pair.local, "127.0.0.1"))) {
    throw new ModelboxDevError(
      "PORT_IN_USE",
      `Port ${pair.local} on 127.0.0.1 is in use on this host.`,
      `Pick another local port: 'modelbox-dev forward ${details.name} ${pair.local + 10000 <= 65535 ? pair.local + 10000 : 18000}:${pair.remote}'.`,
    );
  }
  const userOptions = [
    "-N",
    "-o",
    "ExitOnForwardFailure=yes",
    // A path that dies silently (a laptop's sleep, a network change) ends the forward within a
    // minute, with FORWARD_FAILED, instead of when TCP gives up (hours).
    "-o",
    "ServerAliveInterval=15",
    "-o",
    "ServerAliveCountMax=4",
    ...UNSHARED_LOGIN,
    "-L",
    localForwardSpec(pair),
  ];
  const info: ForwardResult = {
    ok: true,
    name: details.name,
    localAddress: "127.0.0.1",
    localPort: pair.local,
    remotePort: pair.remote,
    url: forwardUrl(pair),
    command: renderSshCommand(target).replace(/^ssh /, `ssh ${userOptions.join(" ")} `),
  };
  let ready = false;
  const { state, forward: running } = await startLocalForward({
    ssh: requireSshClient(),
    args: sshArgv(target, userOptions, []),
    localPort: pair.local,
    deadline: Date.now() + timeoutSeconds * 1000,
    ...(signal ? { signal } : {}),
    onLine: (line) => {
      if (ready) emit({ type: "log", message: `ssh: ${line}` });
    },
  });
  try {
    if (state === "aborted") return info;
    if (state === "exited") throw failed(details.name, "could not be set up", running.lines);
    if (state === "timeout") throw failed(details.name, "did not listen in time", running.lines);
    ready = true;
    emit({ type: "forward", phase: "ready", forward: info });
    const aborted = new Promise<void>((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener("abort", () => resolve(), { once: true });
    });
    await Promise.race([running.ended, aborted]);
    // Ctrl-C reaches ssh too (same terminal): let this process see its own SIGINT first.
    await new Promise((r) => setTimeout(r, 200));
    if (signal?.aborted) return info;
    throw failed(details.name, "ended: the SSH connection closed", running.lines);
  } finally {
    await running.close();
  }
}
