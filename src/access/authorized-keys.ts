import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine } from "../engine/types.js";
import { hostKeysIn } from "./host-keys.js";
import { passwordStatusIn } from "./root-password.js";

/** Root's home in the ModelBox images (and the fixture). */
export const ROOT_HOME = "/root";

/**
 * Appends each line read from stdin to root's authorized_keys unless it is there already; a
 * file that lacks its final newline gets one first. The keys travel over stdin, not argv.
 */
const INSTALL_SCRIPT = [
  "set -e",
  "umask 077",
  'd="$1/.ssh"; f="$d/authorized_keys"',
  'mkdir -p "$d"; chmod 700 "$d"; touch "$f"; chmod 600 "$f"',
  'if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f"; fi',
  'while IFS= read -r key; do [ -z "$key" ] || grep -qxF -- "$key" "$f" || printf "%s\\n" "$key" >> "$f"; done',
].join("\n");

/** Marks the sections of what the install exec reads besides (see LOOK_SCRIPT). */
const MARK = "--- modelbox-dev: ";

/**
 * Once the key is in, what the other SSH steps and the report need to read: sshd's host keys
 * and root's password status. In the same exec: each one costs the engine a process start.
 */
const LOOK_SCRIPT = [
  "set +e",
  `echo '${MARK}host-keys'`,
  "cat /etc/ssh/ssh_host_*_key.pub 2>/dev/null",
  `echo '${MARK}passwd'`,
  "passwd -S root 2>/dev/null",
  "exit 0",
].join("\n");

/** What the exec that installed the key read besides. */
export interface KeyInstallLooks {
  /** sshd's host keys, "TYPE DATA" (none when the image makes them as sshd first starts). */
  hostKeys: string[];
  /** Whether root has a usable password; undefined when that cannot be told. */
  hasPassword?: boolean;
}

function looksIn(stdout: string): KeyInstallLooks {
  const section = (name: string) => {
    const start = stdout.indexOf(`${MARK}${name}\n`);
    if (start < 0) return "";
    const body = stdout.slice(start + MARK.length + name.length + 1);
    const end = body.indexOf(MARK);
    return end < 0 ? body : body.slice(0, end);
  };
  const hasPassword = passwordStatusIn(section("passwd"));
  return {
    hostKeys: hostKeysIn(section("host-keys")),
    ...(hasPassword !== undefined ? { hasPassword } : {}),
  };
}

export async function installAuthorizedKeys(
  engine: ContainerEngine,
  containerId: string,
  publicKeys: string[],
): Promise<KeyInstallLooks> {
  const script = `${INSTALL_SCRIPT}\n${LOOK_SCRIPT}`;
  const result = await engine.exec(containerId, ["sh", "-c", script, "sh", ROOT_HOME], {
    stdin: `${publicKeys.join("\n")}\n`,
    user: "root",
  });
  if (result.exitCode !== 0) {
    throw new ModelboxDevError(
      "EXEC_FAILED",
      `Could not install the SSH key for root (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`,
      "Look at the container with 'modelbox-dev exec NAME -- ls -la /root/.ssh'.",
    );
  }
  return looksIn(result.stdout);
}
