import { knownHostsFileOf, readAccessRecord } from "../access/access-record.js";
import { splitSshArguments } from "../access/ssh-arguments.js";
import { requireSshClient } from "../access/ssh-client.js";
import { type SshTarget, sshDestination, sshOptions } from "../access/ssh-command.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { LABELS, parsePortsLabel } from "../labels.js";
import { assertRunning, getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { reachableAddress } from "./readiness.js";
import { bindAddressOf } from "./describe.js";

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
  const port = parsePortsLabel(details.labels[LABELS.ports]).ssh;
  if (port === undefined || details.labels[LABELS.kind] === "runtime") {
    throw new ModelboxDevError(
      "NO_SSHD",
      `Environment ${JSON.stringify(name)} has no sshd (a runtime image, or no SSH port).`,
      `Run commands in it with 'modelbox-dev exec ${name} -- CMD'; copy files with 'modelbox-dev cp'.`,
    );
  }
  const record = await readAccessRecord(name);
  const knownHostsFile = knownHostsFileOf(name);
  const target: SshTarget = {
    host: reachableAddress(bindAddressOf(details) ?? ""),
    port,
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
  return [...userOptions, ...sshOptions(target), sshDestination(target), ...command];
}

export interface SshCommandOptions {
  name: string;
  /** What follows the name: ssh options, then the remote command (after "--", or the first word that is not an option). */
  args: string[];
}

export interface SshCommandResult {
  ok: true;
  name: string;
  /** The system ssh client. */
  program: string;
  args: string[];
}

/**
 * `modelbox-dev ssh NAME [ssh options] [-- command]` as the command line to run: the client runs
 * it with its own terminal. The user's options are checked before the engine is asked anything.
 */
export async function sshCommand(
  options: SshCommandOptions,
  context?: OperationContext,
): Promise<SshCommandResult> {
  const { options: userOptions, command } = splitSshArguments(options.args);
  const { details, target } = await resolveSshTarget(resolveContext(context).engine, options.name);
  return {
    ok: true,
    name: details.name,
    program: requireSshClient(),
    args: sshArgv(target, userOptions, command),
  };
}
