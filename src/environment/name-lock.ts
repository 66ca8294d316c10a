import { constants } from "node:fs";
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { modelboxDevHome } from "../state-dir.js";
import { validateName } from "../plan/validate.js";
import { pollUntil } from "../poll-until.js";
import { ModelboxDevError } from "../errors.js";

/** How long a second `up` of the same name waits for the first before giving up. */
const WAIT_LIMIT_MS = 30 * 60_000;

function lockPath(name: string): string {
  return join(modelboxDevHome(), "locks", `${validateName(name)}.lock`);
}

/** Whether the process that wrote the lock still runs (a crashed one leaves a stale lock). */
function holderAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function tryLock(path: string): Promise<boolean> {
  try {
    const handle = await open(
      path,
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY,
      0o600,
    );
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
    // An empty file is a lock being written this instant: wait for it like any other.
    if (pid && !holderAlive(pid)) await rm(path, { force: true });
    return false;
  }
}

/**
 * Runs `fn` while no other modelbox-dev process of this user works on the environment `name`:
 * two `up`s of one name at the same moment run one after the other (the second then finds the
 * environment and reports it). A lock left by a process that died is taken over.
 */
export async function withNameLock<T>(
  name: string,
  fn: () => Promise<T>,
  options: { signal?: AbortSignal; log?: (line: string) => void } = {},
): Promise<T> {
  const path = lockPath(name);
  await mkdir(join(modelboxDevHome(), "locks"), { recursive: true, mode: 0o700 });
  if (!(await tryLock(path))) {
    options.log?.(`Waiting for another modelbox-dev working on ${name} to finish…`);
    await pollUntil(async () => ((await tryLock(path)) ? true : undefined), {
      deadline: Date.now() + WAIT_LIMIT_MS,
      intervalMs: 100,
      backoff: 1.5,
      maxIntervalMs: 1_000,
      ...(options.signal ? { signal: options.signal } : {}),
      onTimeout: () =>
        new ModelboxDevError(
          "NAME_TAKEN",
          `Another modelbox-dev has been working on ${name} for ${WAIT_LIMIT_MS / 60_000} minutes.`,
          `Wait for it to finish, or if none runs, remove ${path}.`,
        ),
    });
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}

/** Whether a live modelbox-dev process holds the lock on `name` now (an `up` under way). */
export async function nameBusy(name: string): Promise<boolean> {
  const pid = Number((await readFile(lockPath(name), "utf8").catch(() => "")).trim());
  return pid > 0 && holderAlive(pid);
}
