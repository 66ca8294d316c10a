import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { modelboxDevHome } from "../state-dir.js";
import { environmentFiles, sshConfigPath } from "./paths.js";
import { entryNames, hostAlias, readSshConfig } from "./ssh-config-block.js";
import { byName } from "../name-order.js";

/** What this host keeps about one environment name: its key directory, its ~/.ssh/config entry. */
export interface LocalEnvironment {
  name: string;
  /** `~/.modelbox-dev/environments/<name>`, when it exists. */
  keyDirectory?: string;
  /** `<name>.modelbox`, when the managed block has that entry. */
  sshConfigEntry?: string;
}

/** Names of the key directories modelbox-dev made (anything else there is not ours to list). */
async function keyDirectoryNames(): Promise<string[]> {
  const entries = await readdir(join(modelboxDevHome(), "environments"), {
    withFileTypes: true,
  }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

function withPath(name: string): string | undefined {
  try {
    return environmentFiles(name).dir;
  } catch {
    return undefined; // not a name modelbox-dev would have made a directory for
  }
}

/** Every name this host keeps a key directory or an ssh config entry for, sorted. */
export async function localEnvironments(): Promise<LocalEnvironment[]> {
  const [dirs, config] = await Promise.all([keyDirectoryNames(), readSshConfig(sshConfigPath())]);
  const entries = new Set(entryNames(config));
  const names = [...new Set([...dirs, ...entries])].sort(byName);
  const out: LocalEnvironment[] = [];
  for (const name of names) {
    const keyDirectory = dirs.includes(name) ? withPath(name) : undefined;
    const sshConfigEntry = entries.has(name) ? hostAlias(name) : undefined;
    if (!keyDirectory && !sshConfigEntry) continue;
    out.push({
      name,
      ...(keyDirectory ? { keyDirectory } : {}),
      ...(sshConfigEntry ? { sshConfigEntry } : {}),
    });
  }
  return out;
}

/** The local state kept for `name`, if any. */
export async function localEnvironment(name: string): Promise<LocalEnvironment | undefined> {
  return (await localEnvironments()).find((e) => e.name === name);
}
