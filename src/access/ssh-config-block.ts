import { constants } from "node:fs";
import {
  chmod,
  mkdir,
  open,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { dirname, join } from "node:path";
import { ModelboxDevError } from "../errors.js";
import { modelboxDevHome } from "../state-dir.js";
import { type BlockMarkers, blockRegions } from "./ssh-config-regions.js";

/**
 * The managed block in ~/.ssh/config: one `Host <name>.modelbox` entry per environment, between
 * two marker lines. Nothing outside the markers is ever changed.
 *
 * The block goes at the top of the file, and back there on every edit: ssh takes the first value
 * it finds for each option, so a user's `Host *` defaults further down (User, Port, IdentityFile
 * …) cannot override ours. It ends with `Host *`, so that option lines that followed at the top
 * of the file still apply to every host, as they did before the block was there. A block the
 * user damaged (a marker line deleted, the block copied) is repaired, never added a second time.
 */
export const BLOCK_BEGIN =
  "# >>> modelbox-dev managed block (edited by modelbox-dev; do not edit inside) >>>";
export const BLOCK_END = "# <<< modelbox-dev managed block <<<";
const BLOCK_TAIL = [
  "# Lines below apply to every host again, as if this block were not here.",
  "Host *",
];

const HOST_SUFFIX = ".modelbox";

export function hostAlias(name: string): string {
  return `${name}${HOST_SUFFIX}`;
}

export interface SshHostEntry {
  name: string;
  hostName: string;
  port: number;
  user: string;
  identityFile?: string;
  knownHostsFile?: string;
  /** The engine's host, when the ports are on its loopback: ssh hops through it. */
  proxyJump?: string;
}

/** ssh_config takes double quotes around arguments with spaces. */
function quote(value: string): string {
  return /[\s"#]/.test(value) ? `"${value.replace(/"/g, "")}"` : value;
}

/** The entry's lines, as they appear in the managed block. */
export function renderEntry(entry: SshHostEntry): string[] {
  const lines = [
    `Host ${hostAlias(entry.name)}`,
    `  HostName ${entry.hostName}`,
    `  Port ${entry.port}`,
    `  User ${entry.user}`,
  ];
  if (entry.identityFile) {
    lines.push(`  IdentityFile ${quote(entry.identityFile)}`, "  IdentitiesOnly yes");
  }
  if (entry.knownHostsFile) lines.push(`  UserKnownHostsFile ${quote(entry.knownHostsFile)}`);
  if (entry.proxyJump) lines.push(`  ProxyJump ${entry.proxyJump}`);
  return lines;
}

interface ParsedConfig {
  /** The user's lines: everything outside the managed block(s), in order. */
  rest: string[];
  /** Entries by alias, in file order; each holds its lines, `Host` line first. */
  entries: Map<string, string[]>;
  /** A block was found (intact or damaged). */
  found: boolean;
}

const MARKERS: BlockMarkers = {
  begin: BLOCK_BEGIN,
  end: BLOCK_END,
  tail: BLOCK_TAIL,
  isEntryHost: (line) => /^Host\s+\S+\.modelbox\s*$/.test(line.trim()),
};

function entriesIn(lines: string[], entries: Map<string, string[]>): void {
  let current: string[] | undefined;
  for (const line of lines) {
    const host = /^Host\s+(\S+)\s*$/.exec(line.trim());
    if (host?.[1]?.endsWith(HOST_SUFFIX)) {
      current = [line];
      // A block copied twice: the first copy of an entry wins.
      if (!entries.has(host[1])) entries.set(host[1], current);
    } else if (host || line.trim().startsWith("#")) current = undefined;
    else if (current && line.trim() !== "") current.push(line);
  }
}

function parse(text: string): ParsedConfig {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const regions = blockRegions(lines, MARKERS);
  const entries = new Map<string, string[]>();
  const inside = new Set<number>();
  for (const [from, to] of regions) {
    entriesIn(lines.slice(from, to + 1), entries);
    for (let i = from; i <= to; i++) inside.add(i);
  }
  const rest = lines.filter((_, i) => !inside.has(i));
  return { rest, entries, found: regions.length > 0 };
}

function render(parsed: ParsedConfig): string {
  // The user's lines follow the block after one blank line; the one that separated them goes.
  const rest = parsed.found && parsed.rest[0] === "" ? parsed.rest.slice(1) : parsed.rest;
  if (parsed.entries.size === 0) return rest.length ? `${rest.join("\n")}\n` : "";
  // First in the file: ssh keeps the first value it reads, so the user's options above the
  // block would otherwise override its entries.
  const block = [BLOCK_BEGIN, ...[...parsed.entries.values()].flat(), ...BLOCK_TAIL, BLOCK_END];
  return `${[...block, ...(rest.length ? ["", ...rest] : [])].join("\n")}\n`;
}

/** The config text with this environment's entry added or replaced. */
export function withEntry(text: string, entry: SshHostEntry): string {
  const parsed = parse(text);
  parsed.entries.set(hostAlias(entry.name), renderEntry(entry));
  return render(parsed);
}

/** The config text without this environment's entry (and without the block once it is empty). */
export function withoutEntry(text: string, name: string): string {
  const parsed = parse(text);
  if (!parsed.entries.delete(hostAlias(name))) return text;
  return render(parsed);
}

/** The entry's lines as they are in the file (to put them back exactly), if it has one. */
export function entryLines(text: string, name: string): string[] | undefined {
  return parse(text).entries.get(hostAlias(name));
}

/** The config text with the entry set to these lines (as `entryLines` read them), or removed. */
export function withEntryLines(text: string, name: string, lines: string[] | undefined): string {
  if (lines === undefined) return withoutEntry(text, name);
  const parsed = parse(text);
  parsed.entries.set(hostAlias(name), lines);
  return render(parsed);
}

/** The aliases of every entry in the block (`<name>.modelbox`), in file order. */
export function entryNames(text: string): string[] {
  return [...parse(text).entries.keys()].map((alias) => alias.slice(0, -HOST_SUFFIX.length));
}

export function hasEntry(text: string, name: string): boolean {
  return parse(text).entries.has(hostAlias(name));
}

const LOCK_TRIES = 100;
const LOCK_WAIT_MS = 50;
const LOCK_STALE_MS = 30_000;

/** Serialises edits by concurrent modelbox-dev processes (two `up`s at once). */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  await mkdir(modelboxDevHome(), { recursive: true, mode: 0o700 });
  const lock = join(modelboxDevHome(), "ssh-config.lock");
  for (let i = 0; ; i++) {
    try {
      const handle = await open(lock, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) await rm(lock, { force: true });
      else if (i >= LOCK_TRIES) throw err;
      else await new Promise((r) => setTimeout(r, LOCK_WAIT_MS));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * Applies `edit` to the config file: written to a temporary file and renamed over it, keeping
 * its mode; a symlinked config (dotfile managers) is edited where it points. A file that does
 * not exist is created 0600 in a 0700 ~/.ssh. Returns whether the file changed.
 */
export async function editSshConfig(
  path: string,
  edit: (text: string) => string,
): Promise<boolean> {
  try {
    return await withLock(async () => {
      const target = await realpath(path).catch(() => path);
      const current = await readFile(target, "utf8").catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return undefined;
        throw err;
      });
      const next = edit(current ?? "");
      if (next === (current ?? "")) return false;
      if (current === undefined) await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      const mode = current === undefined ? 0o600 : (await stat(target)).mode & 0o777;
      const temp = `${target}.modelbox-dev-${process.pid}`;
      await writeFile(temp, next, { mode });
      await chmod(temp, mode);
      await rename(temp, target);
      return true;
    });
  } catch (err) {
    throw new ModelboxDevError(
      "SSH_CONFIG_FAILED",
      `Cannot update ${path}: ${err instanceof Error ? err.message : String(err)}.`,
      "Fix the file's permissions, or leave it alone with --no-ssh-config (the printed ssh command works without it).",
      { cause: err },
    );
  }
}

export async function readSshConfig(path: string): Promise<string> {
  return readFile(path, "utf8").catch(() => "");
}
