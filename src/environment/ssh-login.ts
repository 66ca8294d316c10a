import { knownHostsFileOf, readAccessRecord } from "../access/access-record.js";
import { requireSshClient } from "../access/ssh-client.js";
import { sshDestination, sshOptions } from "../access/ssh-command.js";
import { ModelboxDevError } from "../errors.js";
import { LABELS, parsePortsLabel } from "../labels.js";
import { assertRunning, getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { reachableAddress } from "./readiness.js";

export interface SshLoginOptions {
  name: string;
  /** A command for the remote shell; none: an interactive login. */
  command?: string[];
}

export interface SshLogin {
  ok: true;
  name: string;
  /** The system ssh client. */
  ssh: string;
  /** Its arguments: the environment's key and host keys, the destination, the command. */
  args: string[];
}

/**
 * `ssh NAME [-- CMD]`: how to log in with the system ssh, the environment's key and host keys.
 * The caller runs it (a terminal inherits it; a web client would not log in this way).
 */
export async function sshLogin(
  options: SshLoginOptions,
  context?: OperationContext,
): Promise<SshLogin> {
  const { name } = options;
  const { engine } = resolveContext(context);
  const c = await getEnvironment(engine, name);
  assertRunning(c, name);
  const port = parsePortsLabel(c.labels[LABELS.ports]).ssh;
  if (port === undefined || c.labels[LABELS.kind] === "runtime") {
    throw new ModelboxDevError(
      "NO_SSHD",
      `Environment ${JSON.stringify(name)} has no sshd (a runtime image, or no SSH port).`,
      `Run commands in it with 'modelbox-dev exec ${name} -- CMD'.`,
    );
  }
  const ssh = requireSshClient();
  const record = await readAccessRecord(name);
  const knownHostsFile = knownHostsFileOf(name);
  const target = {
    host: reachableAddress(c.ports[0]?.hostIp ?? ""),
    port,
    user: "root",
    ...(record ? { identityFile: record.identityFile } : {}),
    ...(knownHostsFile ? { knownHostsFile } : {}),
  };
  return {
    ok: true,
    name: c.name,
    ssh,
    args: [...sshOptions(target), sshDestination(target), ...(options.command ?? [])],
  };
}
