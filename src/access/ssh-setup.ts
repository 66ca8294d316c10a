import { mkdir } from "node:fs/promises";
import type { ContainerEngine } from "../engine/types.js";
import { writeAccessRecord } from "./access-record.js";
import { type KeyInstallLooks, installAuthorizedKeys } from "./authorized-keys.js";
import { readHostKeys, writeKnownHosts } from "./host-keys.js";
import { programInImage } from "./program-in-image.js";
import { environmentFiles, sshConfigPath } from "./paths.js";
import { editSshConfig, hostAlias, withEntry } from "./ssh-config-block.js";
import { findSshClient } from "./ssh-client.js";
import { type KexLister, loginCheckKex } from "./login-check-kex.js";
import type { SshTarget } from "./ssh-command.js";
import { type LoginKey, ensureGeneratedKey } from "./ssh-keys.js";
import { type ProcessRunner, canCheckKeyLogin, waitForKeyLogin } from "./wait-for-key-login.js";

/**
 * The SSH steps of `up` (R10, R11), one function each, so the plan's steps map onto them: the
 * key for root, a real login with it, the ~/.ssh/config entry.
 */

/**
 * Whether the image has sshd (asked of images whose kind the name does not tell): from its
 * files when the engine can tell, else with an exec.
 */
export async function hasSshd(engine: ContainerEngine, id: string): Promise<boolean> {
  const found = await programInImage(engine, id, "sshd");
  if (found !== undefined) return found;
  const result = await engine.exec(id, [
    "sh",
    "-c",
    "command -v sshd >/dev/null 2>&1 || test -x /usr/sbin/sshd",
  ]);
  return result.exitCode === 0;
}

export interface InstalledKey {
  key: LoginKey;
  knownHostsFile: string;
  /** Whether root has a usable password, as read when the key went in (undefined: unknown). */
  hasPassword?: boolean;
}

/** The key in root's authorized_keys, and what that exec read besides. */
export interface StagedKey extends KeyInstallLooks {
  key: LoginKey;
}

interface KeyRequest {
  name: string;
  containerId: string;
  userKey?: LoginKey;
  log: (line: string) => void;
  /** The key, its files already made (see loginKeyFor). */
  key?: Promise<LoginKey>;
}

/** The environment's directory, and the key generated for it unless the user gave one. */
export async function loginKeyFor(name: string, userKey?: LoginKey): Promise<LoginKey> {
  await mkdir(environmentFiles(name).dir, { recursive: true, mode: 0o700 });
  return userKey ?? ensureGeneratedKey(name);
}

/**
 * The part of installing the key that needs no sshd, so `up` can do it while sshd boots: the key
 * (the user's, or one generated for the environment) into root's authorized_keys, in one exec
 * that also reads the host keys (the images carry them from their build) and root's password
 * status.
 */
export async function stageLoginKey(
  engine: ContainerEngine,
  request: KeyRequest,
): Promise<StagedKey> {
  const { name, containerId: id } = request;
  const key = await (request.key ?? loginKeyFor(name, request.userKey));
  request.log(
    `Installing ${key.source === "user" ? key.publicKeyFile : "the environment's SSH key"} for root…`,
  );
  return { key, ...(await installAuthorizedKeys(engine, id, key.publicKeys)) };
}

/**
 * The key (the user's, or one generated for the environment) goes into root's authorized_keys;
 * the environment's host keys, read through the engine, into its own known_hosts file. `staged`:
 * the first part, begun earlier (its failure is not final: the key is installed again here, and
 * this attempt reports why it fails).
 */
export async function installLoginKey(
  engine: ContainerEngine,
  request: KeyRequest & { staged?: Promise<StagedKey | undefined> },
): Promise<InstalledKey> {
  const { name, containerId: id } = request;
  const files = environmentFiles(name);
  const early = await request.staged?.catch(() => undefined);
  const staged = early ?? (await stageLoginKey(engine, request));
  // Host keys an image makes as sshd first starts are there once it answers.
  const hostKeys = staged.hostKeys.length > 0 ? staged.hostKeys : await readHostKeys(engine, id);
  await writeKnownHosts(files.knownHosts, name, hostKeys);
  await writeAccessRecord(name, {
    identityFile: staged.key.identityFile,
    generated: staged.key.source === "generated",
  });
  return {
    key: staged.key,
    knownHostsFile: files.knownHosts,
    ...(staged.hasPassword !== undefined ? { hasPassword: staged.hasPassword } : {}),
  };
}

export interface KeyLoginCheck {
  /** "key-login": a login with the key succeeded; "banner": only sshd's banner was seen. */
  check: "key-login" | "banner";
  /** Why the login was not tried, for a user who wonders. */
  note?: string;
  warning?: string;
}

/** Logs in with the key (`ssh … true`) until it works: the proof a user can log in. */
export async function verifyKeyLogin(request: {
  key: LoginKey;
  target: SshTarget;
  deadline: number;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Tests: the ssh client to use (null: none installed), the process runner, `ssh -Q kex`. */
  sshClient?: string | null;
  run?: ProcessRunner;
  listKex?: KexLister;
}): Promise<KeyLoginCheck> {
  const { key, target } = request;
  const ssh = request.sshClient === undefined ? findSshClient() : request.sshClient;
  if (!ssh) {
    return {
      check: "banner",
      warning:
        "No ssh client on this host, so the key login was not tried (sshd answers); install OpenSSH's client to use 'modelbox-dev ssh'.",
    };
  }
  const kex = loginCheckKex(ssh, request.listKex);
  if (!(await canCheckKeyLogin(key, request.run))) {
    return {
      check: "banner",
      note: `The key login was not tried: ${key.identityFile} needs its passphrase (sshd answers and the key is installed).`,
    };
  }
  request.log(`Waiting for a key login as root on ${target.host}:${target.port}…`);
  const offered = await kex;
  await waitForKeyLogin({
    ssh,
    target,
    deadline: request.deadline,
    ...(offered ? { kex: offered } : {}),
    ...(request.run ? { run: request.run } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return { check: "key-login" };
}

/** The managed `Host <name>.modelbox` entry in ~/.ssh/config; returns the alias. */
export async function addSshConfigEntry(
  name: string,
  entry: {
    hostName: string;
    port: number;
    identityFile: string;
    knownHostsFile: string;
    /** The engine's host, when the ports are on its loopback: ssh hops through it. */
    proxyJump?: string;
  },
): Promise<string> {
  await editSshConfig(sshConfigPath(), (text) => withEntry(text, { name, ...entry, user: "root" }));
  return hostAlias(name);
}
