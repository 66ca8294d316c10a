import { chmod, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { environmentFiles, sshConfigPath } from "./paths.js";
import { editSshConfig, entryLines, readSshConfig, withEntryLines } from "./ssh-config-block.js";

/**
 * What this host keeps about one environment, as it was before an `up` changed it: the files in
 * `~/.modelbox-dev/environments/<name>/` (keys, host keys, the access record) and its
 * `~/.ssh/config` entry. A failed `up` puts exactly this back: a first `up` leaves nothing, a
 * failed `--recreate` leaves the old environment's login working.
 */
export interface LocalState {
  name: string;
  /** File name → contents and mode; undefined: the directory did not exist. */
  files?: Map<string, { data: Buffer; mode: number }>;
  /** The entry's lines in the managed block; undefined: there was none. */
  sshEntry?: string[];
}

export async function snapshotLocalState(name: string): Promise<LocalState> {
  const { dir } = environmentFiles(name);
  const names = await readdir(dir).catch(() => undefined);
  const state: LocalState = { name };
  if (names) {
    state.files = new Map();
    for (const file of names) {
      const path = join(dir, file);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      state.files.set(file, { data: await readFile(path), mode: info.mode & 0o777 });
    }
  }
  const entry = entryLines(await readSshConfig(sshConfigPath()), name);
  if (entry) state.sshEntry = entry;
  return state;
}

/** Puts the environment's files and ssh config entry back as they were in the snapshot. */
export async function restoreLocalState(state: LocalState): Promise<void> {
  const { dir } = environmentFiles(state.name);
  await editSshConfig(sshConfigPath(), (text) => withEntryLines(text, state.name, state.sshEntry));
  if (!state.files) {
    await rm(dir, { recursive: true, force: true });
    return;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const file of await readdir(dir).catch(() => [])) {
    if (!state.files.has(file)) await rm(join(dir, file), { recursive: true, force: true });
  }
  for (const [file, { data, mode }] of state.files) {
    await writeFile(join(dir, file), data, { mode });
    await chmod(join(dir, file), mode);
  }
}
