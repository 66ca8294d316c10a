import type { ChildProcess } from "node:child_process";

/** How long a child asked to stop (SIGTERM) gets before it is killed outright. */
export const STOP_GRACE_MS = 2_000;

function gone(child: ChildProcess): boolean {
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

/**
 * Ends a child process and resolves once it is gone: SIGTERM, then SIGKILL when it is still
 * there after `graceMs`. A SIGTERM alone can be lost: ssh ignores it for a moment while it
 * installs its handlers (`signal(SIGTERM, SIG_IGN)` to read the old one), which is just after
 * a forward starts listening, so a tunnel closed at once could outlive the wait for it.
 */
export function stopChild(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (gone(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (!gone(child)) child.kill("SIGKILL");
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
