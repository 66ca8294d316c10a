import { PassThrough } from "node:stream";
import { ModelboxDevError } from "../../errors.js";
import type { ExecOptions, ExecResult, StreamExecOptions } from "../types.js";
import type { DockerClient } from "./client.js";

/** Commands in a running container: collected output, or streamed to a terminal. */

export async function exec(
  client: DockerClient,
  id: string,
  cmd: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on("data", (c: Buffer) => chunks.out.push(c));
  stderr.on("data", (c: Buffer) => chunks.err.push(c));
  const input = options.stdin === undefined ? undefined : new PassThrough();
  input?.end(options.stdin);
  const exitCode = await runExec(client, id, cmd, {
    tty: false,
    stdout,
    stderr,
    ...(input ? { stdin: input } : {}),
    user: options.user,
    env: options.env,
  });
  return {
    exitCode,
    stdout: Buffer.concat(chunks.out).toString("utf8"),
    stderr: Buffer.concat(chunks.err).toString("utf8"),
  };
}

type TerminalStream = NodeJS.WritableStream & {
  columns?: number;
  rows?: number;
  on?: (event: "resize", listener: () => void) => unknown;
  off?: (event: "resize", listener: () => void) => unknown;
};

export async function runExec(
  client: DockerClient,
  id: string,
  cmd: string[],
  options: StreamExecOptions & { user?: string; env?: Record<string, string> },
): Promise<number> {
  const container = client.docker.getContainer(id);
  const exec = await client.call(() =>
    container.exec({
      Cmd: cmd,
      AttachStdin: options.stdin !== undefined,
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty,
      ...(options.user ? { User: options.user } : {}),
      ...(options.env ? { Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`) } : {}),
    }),
  );
  const stream = await client.call(() =>
    exec.start({ hijack: true, stdin: options.stdin !== undefined, Tty: options.tty }),
  );
  // A terminal on our side: the process inside gets its size, now and whenever it changes.
  const terminal = options.stdout as TerminalStream;
  const resize = () => {
    if (terminal.columns && terminal.rows) {
      exec.resize({ w: terminal.columns, h: terminal.rows }).catch(() => undefined);
    }
  };
  if (options.tty && terminal.columns) {
    resize();
    terminal.on?.("resize", resize);
  }
  await new Promise<void>((resolve, reject) => {
    if (options.tty) stream.pipe(options.stdout, { end: false });
    else client.docker.modem.demuxStream(stream, options.stdout, options.stderr);
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", reject);
    if (options.stdin) {
      options.stdin.pipe(stream);
      // Closing our write side tells the process its stdin ended, without closing the output.
      options.stdin.on("end", () => (stream as unknown as { end: () => void }).end());
    }
  });
  if (options.tty) terminal.off?.("resize", resize);
  // The exit code can lag the end of the stream by a moment.
  for (let attempt = 0; attempt < 50; attempt++) {
    const state = await client.call(() => exec.inspect());
    if (!state.Running && state.ExitCode !== null) return state.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new ModelboxDevError(
    "EXEC_FAILED",
    `The command ${JSON.stringify(cmd[0])} did not report an exit code.`,
    "The engine lost track of the command (the container may have stopped): check it with 'modelbox-dev status NAME' and run the command again.",
  );
}
