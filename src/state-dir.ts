import { homedir } from "node:os";
import { join } from "node:path";

/**
 * ~/.modelbox-dev: the tool's own files on this host (keys, host keys, locks, caches, config,
 * ssh control sockets). `~` is $HOME (os.homedir()), so tests and users can point it elsewhere.
 */
export function modelboxDevHome(): string {
  return join(homedir(), ".modelbox-dev");
}
