import { existsSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { join } from "node:path";

/**
 * `~` means $HOME throughout modelbox-dev, but ssh reads the account's home from the password
 * database: when the two differ, $HOME's ssh config is named explicitly (`ssh -F`) so that both
 * agree. Used by the ssh:// engine transport and by every ssh this tool runs.
 */
export function homeSshConfig(): string | undefined {
  const home = homedir();
  let accountHome: string | undefined;
  try {
    accountHome = userInfo().homedir;
  } catch {
    accountHome = undefined;
  }
  const config = join(home, ".ssh", "config");
  return home !== accountHome && existsSync(config) ? config : undefined;
}
