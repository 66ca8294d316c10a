import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine } from "../engine/types.js";

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

export async function installAuthorizedKeys(
  engine: ContainerEngine,
  containerId: string,
  publicKeys: string[],
): Promise<void> {
  const result = await engine.exec(containerId, ["sh", "-c", INSTALL_SCRIPT, "sh", ROOT_HOME], {
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
}
