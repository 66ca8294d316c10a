import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { sha256Hex } from "./crypto-on-demand.js";
import { modelboxDevHome } from "./state-dir.js";

/** How long a shared login stays open after its last connection ends, in seconds. */
export const SHARED_LOGIN_PERSIST_SECONDS = 60;

/** A unix socket path must fit sun_path (107 bytes), with ssh's 17-character temporary suffix. */
const MAX_CONTROL_PATH = 107 - 17;

/**
 * ssh's connection sharing for the logins to an ssh:// engine's host: the first connection logs
 * in and keeps the login open in the background (`ControlPersist`); the next ones run as
 * sessions over it, a few ms each instead of a login (~200 ms) each. An `up` opens about 16
 * engine connections (an exec's stream cannot be reused).
 */
export function sharedLoginOptions(controlPath: string): string[] {
  return [
    "-o",
    "ControlMaster=auto",
    "-o",
    `ControlPath=${controlPath}`,
    "-o",
    `ControlPersist=${SHARED_LOGIN_PERSIST_SECONDS}`,
  ];
}

/**
 * For ssh with `-L`: no connection sharing, the user's own `ControlMaster` included. A forward
 * asked through a shared login is set up by its master and stays after the asking ssh ends, so
 * a tunnel closed by ending its ssh would keep its port.
 */
export const UNSHARED_LOGIN = ["-o", "ControlMaster=no", "-o", "ControlPath=none"];

/**
 * The control socket of one login, in a directory only this user can enter
 * (`~/.modelbox-dev/ssh/`), named by a digest of what identifies the login; undefined (no
 * sharing) where the path would be too long for a socket or the directory cannot be made.
 */
export function controlPathFor(
  login: { user?: string; host: string; port?: number },
  configFile: string | undefined,
): string | undefined {
  const dir = join(modelboxDevHome(), "ssh");
  const id = sha256Hex(
    JSON.stringify([configFile ?? "", login.user ?? "", login.host, login.port ?? 0]),
  ).slice(0, 16);
  const path = join(dir, id);
  if (Buffer.byteLength(path) > MAX_CONTROL_PATH) return undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return undefined;
  }
  return path;
}
