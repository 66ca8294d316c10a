import { homedir } from "node:os";
import { join } from "node:path";
import { ModelboxDevError } from "../errors.js";
import { modelboxDevHome } from "../state-dir.js";

/**
 * Where access state lives on this host: `~/.modelbox-dev/environments/<name>/` holds the
 * generated key pair, the environment's host keys and what `up` recorded about its login.
 */
export interface EnvironmentFiles {
  dir: string;
  /** The generated ed25519 key pair (mode 0600). */
  privateKey: string;
  publicKey: string;
  /** The environment's sshd host keys, read through the engine (never trusted on first use). */
  knownHosts: string;
  /** Which key logs in (access-record.ts). */
  record: string;
}

const SAFE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function environmentFiles(name: string): EnvironmentFiles {
  // Names are validated by `up`; this guards the path against anything else.
  if (!SAFE_NAME.test(name)) {
    throw new ModelboxDevError(
      "INVALID_NAME",
      `${JSON.stringify(name)} is not an environment name.`,
      "Use 2-128 characters: letters, digits, '_', '.', '-', starting with a letter or digit (e.g. mybox).",
    );
  }
  const dir = join(modelboxDevHome(), "environments", name);
  return {
    dir,
    privateKey: join(dir, "id_ed25519"),
    publicKey: join(dir, "id_ed25519.pub"),
    knownHosts: join(dir, "known_hosts"),
    record: join(dir, "access.json"),
  };
}

/** The user's OpenSSH client configuration. */
export function sshConfigPath(): string {
  return join(homedir(), ".ssh", "config");
}
