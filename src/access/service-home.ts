import type { ContainerEngine, ExecResult } from "../engine/types.js";
import { ROOT_HOME } from "./authorized-keys.js";

/**
 * The home `modelbox-tool develop -s` sets up for root (its default, `$HOME/modelbox-service`):
 * the server's conf, log, pid files and the two control scripts it copies from the images'
 * init scripts.
 */
const HOME = `${ROOT_HOME}/modelbox-service`;
export const SERVICE_HOME = {
  dir: HOME,
  conf: `${HOME}/conf/modelbox.conf`,
  /** The server's control script: start|stop|restart|status. */
  control: `${HOME}/modelbox`,
  /** The manager's (it restarts the server when it dies, and stops it when stopped itself). */
  managerControl: `${HOME}/modelbox-manager`,
  log: `${HOME}/log/modelbox.log`,
} as const;

/**
 * sh: drops the pid files in `$1/run` that do not name their own process. They live in the home,
 * not in /run, so after a container restart one can name whatever process got that pid: the
 * control scripts would then call that process the server and `stop` would signal it. The server
 * and the manager are started with `-p PIDFILE`, so their command line names the file.
 */
export const DROP_STALE_PID_FILES =
  'for f in "$1/run/modelbox.pid" "$1/run/manager.pid"; do ' +
  'p=$(cat "$f" 2>/dev/null); ' +
  '[ -n "$p" ] && grep -qaF -- "$f" "/proc/$p/cmdline" 2>/dev/null || rm -f -- "$f"; done';

/** Runs a command in the container as root with root's HOME (where developer mode lives). */
export function execAsRoot(
  engine: ContainerEngine,
  id: string,
  cmd: string[],
  extra: { env?: Record<string, string>; stdin?: string } = {},
): Promise<ExecResult> {
  return engine.exec(id, cmd, {
    user: "root",
    env: { HOME: ROOT_HOME, ...extra.env },
    ...(extra.stdin !== undefined ? { stdin: extra.stdin } : {}),
  });
}

/** The output of a command as indented lines (the last 15), for an error's details. */
export function outputLines(result: ExecResult): string[] {
  return `${result.stdout}\n${result.stderr}`
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== "")
    .slice(-15)
    .map((l) => `  ${l}`);
}
