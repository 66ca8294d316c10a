import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { ModelboxDevError } from "../errors.js";
import { homeSshConfig } from "../home-ssh-config.js";
import { UNSHARED_LOGIN } from "../ssh-shared-login.js";
import { stopChild } from "../stop-child.js";

/**
 * `ssh -N -L 127.0.0.1:LOCAL:…`: a port here that reaches a port on the far side of an ssh login.
 * One primitive for both uses: `forward` (through the environment's own sshd, for the user, until
 * Ctrl-C) and up's short-lived tunnels (through a remote engine's host, to check ports that
 * listen on its loopback).
 */
export interface LocalForward {
  localPort: number;
  /** ssh's last stderr lines (its reason when it failed). */
  lines: string[];
  /** Resolves when ssh ends (the forward closed, or failed). */
  ended: Promise<void>;
  /** Ends ssh and waits for it (it holds the port until it is gone). */
  close(): Promise<void>;
}

export type ForwardState = "listening" | "exited" | "timeout" | "aborted";

const POLL_MS = 100;

/** Something accepts connections on 127.0.0.1:port. */
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

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Starts `ssh ARGS` (which must hold a `-L 127.0.0.1:localPort:…`) and waits until the local port
 * accepts connections, ssh ends, time runs out or the signal aborts. stderr lines go to `onLine`
 * as they come and are kept (the last 20) for an error.
 */
export async function startLocalForward(options: {
  ssh?: string;
  args: string[];
  localPort: number;
  deadline: number;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}): Promise<{ state: ForwardState; forward: LocalForward }> {
  const child = spawn(options.ssh ?? "ssh", options.args, {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const lines: string[] = [];
  const hear = (line: string) => {
    lines.push(line);
    if (lines.length > 20) lines.shift();
    options.onLine?.(line);
  };
  let rest = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    const parts = (rest + chunk.toString("utf8")).split(/\r?\n/);
    rest = parts.pop() ?? "";
    for (const line of parts.filter((l) => l.trim() !== "")) hear(line);
  });
  const ended = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    // A start that failed (ssh gone from PATH, no process slot) has "error" and never "exit";
    // unheard, that error would end this whole process.
    child.once("error", (err) => {
      hear(`ssh could not be started: ${err.message}`);
      resolve();
    });
  });
  const forward: LocalForward = {
    localPort: options.localPort,
    lines,
    ended,
    // SIGTERM, then SIGKILL: ssh can miss a SIGTERM sent just after the forward listens.
    close: () => stopChild(child),
  };
  for (;;) {
    if (options.signal?.aborted) return { state: "aborted", forward };
    if (!running(child)) return { state: "exited", forward };
    if (await answers(options.localPort)) return { state: "listening", forward };
    if (Date.now() > options.deadline) return { state: "timeout", forward };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** A port on 127.0.0.1 that is free now (the kernel's pick), for a tunnel's local end. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** user@host:port → its parts (a bracketed IPv6 host without its brackets). */
export function parseJump(jump: string): { user?: string; host: string; port?: number } {
  const m = /^(?:(.+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(jump);
  if (!m) return { host: jump };
  const [, user, host = jump, port] = m;
  return {
    ...(user ? { user } : {}),
    host: host.replace(/^\[|\]$/g, ""),
    ...(port ? { port: Number(port) } : {}),
  };
}

/** user@host:port → ssh's arguments for that login (port as -p). */
export function jumpArgs(jump: string): string[] {
  const { user, host, port } = parseJump(jump);
  return [...(port !== undefined ? ["-p", String(port)] : []), ...(user ? ["-l", user] : []), host];
}

/** ssh's -F for $HOME's config, when it is not the one ssh would read anyway. */
export function homeConfigArgs(): string[] {
  const config = homeSshConfig();
  return config ? ["-F", config] : [];
}

export interface Tunnel {
  /** The port on 127.0.0.1 here that reaches the remote port. */
  localPort: number;
  close(): Promise<void>;
}

/**
 * A short-lived tunnel through the jump host (a remote engine's host, logged in as the ssh://
 * engine is) to a port on its side, for up's own checks. Resolves once the local port answers.
 */
export async function openTunnel(options: {
  jump: string;
  target: { host: string; port: number };
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<Tunnel> {
  const { jump, target } = options;
  const localPort = await freeLocalPort();
  const { state, forward } = await startLocalForward({
    args: [
      ...homeConfigArgs(),
      "-N",
      "-o",
      "BatchMode=yes",
      "-o",
      "ExitOnForwardFailure=yes",
      ...UNSHARED_LOGIN,
      "-L",
      `127.0.0.1:${localPort}:${target.host}:${target.port}`,
      ...jumpArgs(jump),
    ],
    localPort,
    deadline: Date.now() + (options.timeoutMs ?? 30_000),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (state !== "listening") {
    await forward.close();
    const why = forward.lines.slice(-3).join(" ").trim();
    throw new ModelboxDevError(
      "SSH_CONFIG_FAILED",
      `The SSH tunnel through ${jump} to ${target.host}:${target.port} did not open${why ? `: ${why}` : ""}.`,
      `Check that 'ssh ${jump}' works from here, with a key or an agent.`,
    );
  }
  return { localPort, close: () => forward.close() };
}
