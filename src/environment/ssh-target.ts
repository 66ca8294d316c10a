import { knownHostsFileOf, readAccessRecord } from "../access/access-record.js";
import { type SshTarget, sshDestination, sshOptions } from "../access/ssh-command.js";
import { homeConfigArgs } from "../access/ssh-tunnel.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { LABELS } from "../labels.js";
import { hostPortsByPurpose } from "../published-ports.js";
import { assertRunning, getEnvironment } from "./find.js";
import { reachOfEnvironment } from "./reach.js";

/**
 * How this host's OpenSSH client reaches a running environment's sshd: the published port, the
 * key `up` recorded and the environment's host keys. Shared by `ssh`, `forward` and `code`.
 */
export async function resolveSshTarget(
  engine: ContainerEngine,
  name: string,
): Promise<{ details: ContainerDetails; target: SshTarget }> {
  const details = await getEnvironment(engine, name);
  assertRunning(details, name);
  // The port the engine publishes for sshd (a hand-edited script may differ from the labels).
  const port = hostPortsByPurpose(details).ssh;
  if (port === undefined || details.labels[LABELS.kind] === "runtime") {
    throw new ModelboxDevError(
      "NO_SSHD",
      `Environment ${JSON.stringify(name)} has no sshd (a runtime image, or no SSH port).`,
      `Run commands in it with 'modelbox-dev exec ${name} -- CMD'; copy files with 'modelbox-dev cp'.`,
    );
  }
  const record = await readAccessRecord(name);
  const knownHostsFile = knownHostsFileOf(name);
  const reach = reachOfEnvironment(engine, details);
  const target: SshTarget = {
    host: reach.connectAddress,
    port,
    // Ports on a remote host's loopback: the login hops through that host (the engine's login).
    ...(reach.proxyJump ? { proxyJump: reach.proxyJump } : {}),
    user: "root",
    ...(record ? { identityFile: record.identityFile } : {}),
    ...(knownHostsFile ? { knownHostsFile } : {}),
  };
  return { details, target };
}

/**
 * The ssh argument list: the user's own options first (ssh keeps the first value it reads, so
 * theirs win), then the environment's, the destination, and the remote command.
 */
export function sshArgv(target: SshTarget, userOptions: string[], command: string[]): string[] {
  // The hop uses the user's own login to the engine's host: $HOME's ssh config (ssh hands -F on).
  const config = target.proxyJump ? homeConfigArgs() : [];
  return [...config, ...userOptions, ...sshOptions(target), sshDestination(target), ...command];
}
