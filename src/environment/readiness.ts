import { connect } from "node:net";
import { ModelboxDevError } from "../errors.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import { type PollOptions, pollUntil } from "../poll-until.js";

const POLL_MS = 50;
/**
 * sshd's banner is looked for more often: a look is one connection to the engine's port proxy,
 * and sshd comes up ~250 ms after the start, which every later step waits for (a pause of 50 ms
 * found it 25 ms late on average).
 */
const BANNER_POLL_MS = 25;
const BANNER_WAIT_MAX_MS = 5_000;

/** Reads the first bytes a TCP server sends; resolves with them or "" on any failure. */
export function readBanner(host: string, port: number, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    let data = "";
    const socket = connect({ host, port });
    const done = (value: string) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(data));
    socket.on("data", (chunk: Buffer) => {
      data += chunk.toString("latin1");
      if (data.includes("\n")) done(data);
    });
    socket.on("error", () => done(""));
    socket.on("close", () => done(data));
  });
}

/** Where to reach a port published on `hostIp` from this host. */
export { reachableAddress } from "../connect-address.js";

export interface WaitContext {
  engine: ContainerEngine;
  containerId: string;
  deadline: number;
  signal?: AbortSignal;
}

async function assertStillRunning(ctx: WaitContext, what: string): Promise<void> {
  const c = await ctx.engine.inspectContainer(ctx.containerId);
  // "restarting": it exited and its restart policy is starting it again.
  if (!c || c.status === "exited" || c.status === "dead" || c.status === "restarting") {
    throw new ModelboxDevError(
      "START_FAILED",
      `The container stopped while waiting for ${what}${c ? ` (exit code ${c.exitCode})` : ""}.`,
      "Read the container log lines below; 'modelbox-dev up --keep-on-failure' keeps the container for a closer look.",
    );
  }
}

/** Resolves with the container's inspection once it runs. */
export async function waitForRunning(ctx: WaitContext): Promise<ContainerDetails> {
  return pollUntil(
    async () => {
      const c = await ctx.engine.inspectContainer(ctx.containerId);
      if (c?.status === "running") return c;
      await assertStillRunning(ctx, "it to run");
      return undefined;
    },
    waitOptions(ctx, "the container to run"),
  );
}

/**
 * sshd answers when its "SSH-2.0-…" banner arrives; a bare TCP accept proves nothing, since the
 * engine's port proxy accepts before anything listens inside.
 */
export async function waitForSshBanner(
  ctx: WaitContext,
  host: string,
  port: number,
): Promise<string> {
  return pollUntil(
    async (round) => {
      // A busy host can take seconds between accept and sshd's banner (sshd re-executes itself
      // per connection); a port with nothing behind it is closed at once by the engine's proxy,
      // so waiting longer for the banner costs nothing there.
      const banner = await readBanner(host, port, Math.min(500 * round, BANNER_WAIT_MAX_MS));
      if (banner.startsWith("SSH-")) return banner.trim();
      // Checking the container costs an API call; do it every few polls to stop early on exit.
      if (round % 5 === 0) await assertStillRunning(ctx, "sshd");
      return undefined;
    },
    { ...waitOptions(ctx, `sshd to answer on ${host}:${port}`), intervalMs: BANNER_POLL_MS },
  );
}

function waitOptions(ctx: WaitContext, what: string): PollOptions {
  return {
    deadline: ctx.deadline,
    intervalMs: POLL_MS,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onTimeout: () =>
      new ModelboxDevError(
        "READINESS_TIMEOUT",
        `Timed out waiting for ${what}.`,
        "The container may still be booting: raise --timeout, or look at the log lines below.",
      ),
  };
}
