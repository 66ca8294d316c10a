import type Docker from "dockerode";
import type { TerminalSession, TerminalSize } from "../types.js";
import type { DockerClient } from "./client.js";
import { randomHex } from "../../crypto-on-demand.js";

/** Marks every process of one terminal (children inherit it), so closing can end them all. */
const MARK = "MODELBOX_DEV_TERMINAL";
const HANGUP_GRACE_MS = 2_000;

/**
 * The engine keeps a TTY exec running after its client goes away, and has no call to end one.
 * So the processes carrying this terminal's mark get a hangup (a shell passes it on to its jobs),
 * then whatever is left is killed.
 */
function endScript(mark: string, signal: "HUP" | "KILL"): string {
  return (
    `for p in /proc/[0-9]*; do ` +
    `grep -qa '${MARK}=${mark}' "$p/environ" 2>/dev/null && kill -${signal} "\${p#/proc/}" 2>/dev/null; ` +
    `done; true`
  );
}

/** Runs a short script in the container and waits for it; its response must be read to the end. */
async function runQuietly(client: DockerClient, id: string, script: string): Promise<void> {
  const exec = await client.docker
    .getContainer(id)
    .exec({ Cmd: ["/bin/sh", "-c", script], AttachStdout: false, AttachStderr: false });
  const response = (await exec.start({})) as NodeJS.ReadableStream & { destroy?: () => void };
  // An unread response would hold its connection to the engine open (and the process alive);
  // an engine that never ends it must not hold up closing the terminal.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      response.destroy?.();
      resolve();
    }, QUIET_SCRIPT_DEADLINE_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    response.once("end", done);
    response.once("close", done);
    response.once("error", done);
    response.resume();
  });
}

const QUIET_SCRIPT_DEADLINE_MS = 5_000;

/** Whether the exec's command has ended within `ms` (asked every 100 ms). */
async function endsWithin(exec: Docker.Exec, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const state = await exec.inspect().catch(() => undefined);
    if (!state?.Running) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A TTY exec driven from outside (a browser terminal): input, output, size, exit, close. */
export async function openTerminal(
  client: DockerClient,
  id: string,
  cmd: string[],
  size: TerminalSize,
): Promise<TerminalSession> {
  const mark = randomHex(8);
  const container = client.docker.getContainer(id);
  const exec = await client.call(() =>
    container.exec({
      Cmd: cmd,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ["TERM=xterm-256color", `${MARK}=${mark}`],
    }),
  );
  const stream = await client.call(() => exec.start({ hijack: true, stdin: true, Tty: true }));
  const resize = async ({ columns, rows }: TerminalSize) => {
    if (columns > 0 && rows > 0) await exec.resize({ w: columns, h: rows }).catch(() => undefined);
  };
  await resize(size);
  const ended = new Promise<void>((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
  const exited = ended.then(async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const state = await exec.inspect().catch(() => undefined);
      if (!state || (!state.Running && state.ExitCode !== null)) return state?.ExitCode ?? -1;
      await new Promise((r) => setTimeout(r, 20));
    }
    return -1;
  });
  let closing: Promise<void> | undefined;
  return {
    write: (data) => {
      if (!stream.destroyed) stream.write(data);
    },
    onOutput: (listener) => {
      stream.on("data", listener);
    },
    resize,
    exited,
    close: () => {
      closing ??= (async () => {
        const state = await exec.inspect().catch(() => undefined);
        if (state?.Running) {
          await runQuietly(client, id, endScript(mark, "HUP")).catch(() => undefined);
          if (!(await endsWithin(exec, HANGUP_GRACE_MS))) {
            await runQuietly(client, id, endScript(mark, "KILL")).catch(() => undefined);
          }
        }
        stream.destroy();
      })();
      return closing;
    },
  };
}
