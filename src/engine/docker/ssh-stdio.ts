import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { Agent } from "node:http";
import { Duplex } from "node:stream";
import { homeSshConfig } from "../../home-ssh-config.js";
import { controlPathFor, sharedLoginOptions } from "../../ssh-shared-login.js";
import { stopChild } from "../../stop-child.js";

/** An ssh:// engine: the login, and the socket on the far side when one is named. */
export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
  socketPath?: string;
}

/**
 * The ssh command line the docker CLI runs for an ssh:// engine (`docker system dial-stdio` on
 * the far side turns the login's stdio into a connection to the daemon), with BatchMode so
 * that several connections at once never sit at a password prompt: keys or an agent log in.
 */
export function sshDialArgs(
  target: SshTarget,
  configFile?: string,
  controlPath?: string,
): string[] {
  const remote = target.socketPath
    ? ["docker", "--host", `unix://${target.socketPath}`, "system", "dial-stdio"]
    : ["docker", "system", "dial-stdio"];
  return [
    ...(configFile ? ["-F", configFile] : []),
    ...(controlPath ? sharedLoginOptions(controlPath) : []),
    "-o",
    "ConnectTimeout=30",
    "-o",
    "BatchMode=yes",
    "-T",
    ...(target.user ? ["-l", target.user] : []),
    ...(target.port !== undefined ? ["-p", String(target.port)] : []),
    "--",
    target.host,
    ...remote,
  ];
}

export type SpawnSsh = (args: string[]) => ChildProcessWithoutNullStreams;

const spawnOpenSsh: SpawnSsh = (args) => spawn("ssh", args, { stdio: ["pipe", "pipe", "pipe"] });

/** A failed ssh login or dial, with ssh's own last words. */
export class SshDialError extends Error {
  override readonly name = "SshDialError";
  constructor(
    message: string,
    readonly code: "SSH_FAILED" | "ENOENT",
  ) {
    super(message);
  }
}

/**
 * One connection to the engine through `ssh … docker system dial-stdio`, looking enough like a
 * net.Socket for Node's HTTP client (keep-alive, ref/unref, idle timeout, upgrade for exec).
 */
class SshStdioSocket extends Duplex {
  private idleMs = 0;
  private idleTimer?: NodeJS.Timeout;
  private stderr = "";
  private received = false;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    // Like a net.Socket: when the daemon's side ends, ours ends too (so ssh exits).
    super({ allowHalfOpen: false });
    child.stdout.on("data", (chunk: Buffer) => {
      this.received = true;
      this.touch();
      if (!this.push(chunk)) child.stdout.pause();
    });
    // The daemon closed its side (an exec's output ended): the stream ends. Before any data,
    // an end is ssh giving up, which "close" reports with ssh's reason.
    child.stdout.on("end", () => {
      if (this.received) this.push(null);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-2000);
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      this.destroy(
        err.code === "ENOENT"
          ? new SshDialError(
              "The ssh client is not installed (needed for ssh:// engines).",
              "ENOENT",
            )
          : err,
      );
    });
    // "close" comes after stderr is read to the end: ssh's last words are all there.
    child.on("close", (code) => {
      // ssh that ends before the daemon said anything failed to log in or to dial.
      if (code !== 0 && !this.received && !this.destroyed) {
        this.destroy(
          new SshDialError(this.stderr.trim() || `ssh exited with status ${code}`, "SSH_FAILED"),
        );
      }
    });
    child.stdin.on("error", () => undefined); // EPIPE when ssh has gone: reported on "close"
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.touch();
    // A failed write means ssh has gone; why it went is reported when it closes.
    this.child.stdin.write(chunk, () => done());
  }

  /** End of our side (exec's stdin ended): dial-stdio half-closes the daemon connection. */
  override _final(done: (err?: Error | null) => void): void {
    this.child.stdin.end(done);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    void stopChild(this.child); // SIGKILL after a grace period: no ssh outlives its socket
    done(err);
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    if (this.idleMs > 0) {
      this.idleTimer = setTimeout(() => this.emit("timeout"), this.idleMs);
      this.idleTimer.unref();
    }
  }

  setTimeout(ms: number, onTimeout?: () => void): this {
    this.idleMs = ms;
    if (onTimeout) this.once("timeout", onTimeout);
    this.touch();
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  /** An idle kept-alive connection must not keep a CLI process from exiting. */
  unref(): this {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      (s as unknown as { unref?: () => void }).unref?.();
    }
    return this;
  }

  ref(): this {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      (s as unknown as { ref?: () => void }).ref?.();
    }
    return this;
  }
}

/**
 * An HTTP agent whose connections are ssh logins running `docker system dial-stdio`, as the
 * docker CLI does for ssh:// hosts: the user's ~/.ssh/config, keys, agent, known_hosts and
 * ProxyJump all apply. Connections are kept alive and reused, so one `up` costs a few logins,
 * not one per Engine API call.
 */
export class SshStdioAgent extends Agent {
  constructor(
    private readonly target: SshTarget,
    private readonly spawnSsh: SpawnSsh = spawnOpenSsh,
  ) {
    // At most a few idle logins are kept; they are unref'd, so they never hold a process open.
    super({ keepAlive: true, maxFreeSockets: 4 });
  }

  /** The shared login's socket, found on the first connection (an agent may never connect). */
  private controlPath?: string;

  override createConnection(): Duplex {
    const config = homeSshConfig();
    this.controlPath ??= controlPathFor(this.target, config);
    return new SshStdioSocket(this.spawnSsh(sshDialArgs(this.target, config, this.controlPath)));
  }
}
