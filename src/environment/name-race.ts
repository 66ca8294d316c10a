import type { ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { pollUntil } from "../poll-until.js";
import { NameRaceError } from "./apply/container-steps.js";
import { isManaged } from "./find.js";

/** How far apart two clocks (ours, the engine's) may be when telling "made meanwhile". */
const CLOCK_SLACK_MS = 5_000;

/**
 * How long a name the engine refused as taken may stay unknown to an inspection: the engine
 * holds the name from the start of another create, and that create can take a while under load
 * (seen: a second `up` inspected, found nothing, created, and was refused again). Past this the
 * other container was removed, and this `up` creates its own.
 */
const UNSEEN_GRACE_MS = 10_000;

/** Tries in all: each race lost is waited out, then `up` looks again. */
const RACE_ATTEMPTS = 4;

export interface NameRaceContext {
  engine: Pick<ContainerEngine, "inspectContainer">;
  signal?: AbortSignal;
  log: (line: string) => void;
}

/**
 * Runs `attempt` (one locked `up`) and, when another process (another user's `up`, which the
 * per-user lock does not hold back) created the environment at the same moment, waits until that
 * one has started it and runs `attempt` again, which then finds it and uses it. A race can be
 * lost again while the other create is still under way, so this repeats a few times.
 */
export async function retryingNameRaces<T>(
  ctx: NameRaceContext,
  name: string,
  timeoutSeconds: number,
  attempt: () => Promise<T>,
): Promise<T> {
  const startedAt = Date.now();
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      const lostRace =
        err instanceof NameRaceError || (await madeMeanwhile(ctx, name, err, startedAt));
      if (!lostRace || tries >= RACE_ATTEMPTS) throw err;
      ctx.log(`${name} was created by another process at the same moment; using it…`);
      await waitUntilStarted(ctx, name, timeoutSeconds);
    }
  }
}

/**
 * Whether a port refusal came from another process making this very environment at the same
 * moment: an environment of this name, made by modelbox-dev after this call began. Its ports
 * are the ones it took first.
 */
async function madeMeanwhile(
  ctx: NameRaceContext,
  name: string,
  err: unknown,
  startedAt: number,
): Promise<boolean> {
  const portRefusal =
    err instanceof ModelboxDevError && (err.code === "PORT_IN_USE" || err.code === "PORT_CONFLICT");
  if (!portRefusal) return false;
  const found = await ctx.engine.inspectContainer(name).catch(() => undefined);
  return (
    found !== undefined &&
    found.name === name &&
    isManaged(found) &&
    found.created.getTime() >= startedAt - CLOCK_SLACK_MS
  );
}

/**
 * Until the container another process is creating has been started (or given up on): while the
 * engine does not show it yet, its create is still under way; once shown, it is started unless
 * still "created". One that never shows, or goes, was removed: the next attempt makes its own.
 */
export async function waitUntilStarted(
  ctx: NameRaceContext,
  name: string,
  timeoutSeconds: number,
): Promise<void> {
  const unseenUntil = Date.now() + UNSEEN_GRACE_MS;
  let seen = false;
  await pollUntil(
    async () => {
      const found = await ctx.engine.inspectContainer(name);
      if (!found) return seen || Date.now() >= unseenUntil ? true : undefined;
      seen = true;
      return found.status === "created" ? undefined : true;
    },
    {
      deadline: Date.now() + timeoutSeconds * 1000,
      intervalMs: 100,
      backoff: 1.5,
      maxIntervalMs: 500,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onTimeout: () => new NameRaceError(name),
    },
  );
}
