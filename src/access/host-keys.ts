import { chmod, writeFile } from "node:fs/promises";
import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine } from "../engine/types.js";
import { parsePublicKeyLine } from "./openssh-key.js";

/**
 * sshd's host keys, read through the engine (a channel we already trust) instead of accepted on
 * first connection: the printed command and the ~/.ssh/config entry then never prompt, and a
 * recreated environment with new host keys does not trip "REMOTE HOST IDENTIFICATION HAS CHANGED".
 */
export async function readHostKeys(
  engine: ContainerEngine,
  containerId: string,
): Promise<string[]> {
  const result = await engine.exec(containerId, [
    "sh",
    "-c",
    "cat /etc/ssh/ssh_host_*_key.pub 2>/dev/null; true",
  ]);
  const keys = hostKeysIn(result.stdout);
  if (keys.length === 0) {
    throw new ModelboxDevError(
      "NO_SSHD",
      "The environment has no SSH host keys (/etc/ssh/ssh_host_*_key.pub), so sshd cannot run.",
      "Use a develop image (runtime images have no sshd), or generate them inside with 'ssh-keygen -A'.",
    );
  }
  return keys;
}

/** The public keys in `cat /etc/ssh/ssh_host_*_key.pub` output, as "TYPE DATA". */
export function hostKeysIn(text: string): string[] {
  return text
    .split("\n")
    .map(parsePublicKeyLine)
    .filter((k) => k !== undefined)
    .map((k) => `${k.type} ${k.data}`);
}

/**
 * A known_hosts file for one environment. The host pattern is `*` because the file is only ever
 * named by this environment's own command and config entry: whatever address or port reaches
 * it, these are the keys to expect.
 */
function knownHostsText(name: string, keys: string[]): string {
  return [
    `# Host keys of the modelbox-dev environment ${name}, read from the container by modelbox-dev.`,
    ...keys.map((k) => `* ${k}`),
    "",
  ].join("\n");
}

export async function writeKnownHosts(path: string, name: string, keys: string[]): Promise<void> {
  await writeFile(path, knownHostsText(name, keys), { mode: 0o600 });
  await chmod(path, 0o600);
}
