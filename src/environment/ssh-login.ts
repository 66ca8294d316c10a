import { splitSshArguments } from "../access/ssh-arguments.js";
import { requireSshClient } from "../access/ssh-client.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { resolveSshTarget, sshArgv } from "./ssh-target.js";

export interface SshLoginOptions {
  name: string;
  /**
   * What follows the name on the command line: OpenSSH options (-L, -R, -A, -N, -v …), then the
   * remote command (after "--", or from the first word that is not an option).
   */
  args?: string[];
  /** A command for the remote shell, when it is not given in `args`. */
  command?: string[];
}

export interface SshLogin {
  ok: true;
  name: string;
  /** The system ssh client. */
  ssh: string;
  /** Its arguments: the user's options, the environment's key, host keys and port, the destination, the command. */
  args: string[];
}

/**
 * `ssh NAME [ssh options] [-- CMD]`: how to log in with the system ssh, the environment's key and
 * host keys. The caller runs it (a terminal inherits it; a web client would not log in this way).
 * The user's options are checked before the engine is asked anything.
 */
export async function sshLogin(
  options: SshLoginOptions,
  context?: OperationContext,
): Promise<SshLogin> {
  // --json (errors as one JSON object) is modelbox-dev's flag, wherever it sits among ssh's.
  const parsed = splitSshArguments(options.args ?? [], ["--json"]);
  const command = [...parsed.command, ...(options.command ?? [])];
  const { details, target } = await resolveSshTarget(resolveContext(context).engine, options.name);
  return {
    ok: true,
    name: details.name,
    ssh: requireSshClient(),
    args: sshArgv(target, parsed.options, command),
  };
}
