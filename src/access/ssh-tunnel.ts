import { spawn } from "node:child_process";
import { connect } from "node:net";
import { homeSshConfig } from "../engine/docker/ssh-stdio.js";
import { ModelboxDevError } from "../errors.js";

export interface Tunnel {
  /** The port on 127.0.0.1 here that reaches the remote port. */
  localPort: number;
  close(): void;
  /** Resolves when ssh ends (the tunnel closed, or failed). */
  closed: Promise<number | null>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * `ssh -N -L 127.0.0.1:LOCAL:TARGET:PORT JUMP`: a port here that reaches a port on the jump
 * host's side (its loopback). Resolves once the local port accepts connections.
 */
export async function openTunnel(options: {
  jump: string;
  target: { host: string; port: number };
  localPort: number;
  timeoutMs?: number;
}): Promise<Tunnel> {
  const { jump, target, localPort } = options;
  const child = spawn(
    "ssh",
    [
      ...(homeSshConfig() ? ["-F", homeSshConfig() ?? ""] : []),
      "-N",
      "-o",
      "BatchMode=yes",
      "-o",
      "ExitOnForwardFailure=yes",
      "-L",
      `127.0.0.1:${localPort}:${target.host}:${target.port}`,
      ...jumpArgs(jump),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  let exited = false;
  void closed.then(() => (exited = true));
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!(await answers(localPort))) {
    if (exited || Date.now() > deadline) {
      child.kill();
      throw new ModelboxDevError(
        "SSH_CONFIG_FAILED",
        `The SSH tunnel through ${jump} to ${target.host}:${target.port} did not open${stderr ? `: ${stderr.trim()}` : ""}.`,
        `Check that 'ssh ${jump}' works from here, with a key or an agent.`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { localPort, close: () => child.kill(), closed };
}

/** user@host:port → ssh's arguments for that login (port as -p). */
export function jumpArgs(jump: string): string[] {
  const m = /^(?:(.+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(jump);
  if (!m) return [jump];
  const [, user, host = jump, port] = m;
  return [
    ...(port ? ["-p", port] : []),
    ...(user ? ["-l", user] : []),
    host.replace(/^\[|\]$/g, ""),
  ];
}
