import { spawn } from "node:child_process";
import { constants } from "node:os";
import { knownHostsFileOf, readAccessRecord } from "../../access/access-record.js";
import { requireSshClient } from "../../access/ssh-client.js";
import { sshDestination, sshOptions } from "../../access/ssh-command.js";
import { assertRunning, getEnvironment } from "../../environment/find.js";
import { reachableAddress } from "../../environment/readiness.js";
import { ModelboxDevError } from "../../errors.js";
import { LABELS, parsePortsLabel } from "../../labels.js";
import { createEngine } from "../context.js";

/**
 * Logs in with the system ssh, the environment's key and host keys; the remote command, if any,
 * is handed to ssh as is (the remote shell runs it, as with plain ssh). Exits with ssh's status.
 */
export async function run(name: string, args: string[]): Promise<number> {
  // Options pass through untouched after the name, so the separator arrives too.
  const command = args[0] === "--" ? args.slice(1) : args;
  const c = await getEnvironment(createEngine(), name);
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
  const child = spawn(ssh, [...sshOptions(target), sshDestination(target), ...command], {
    stdio: "inherit",
  });
  // ssh handles Ctrl-C itself (remote side, or its own exit): this process only waits.
  const ignore = () => undefined;
  process.on("SIGINT", ignore);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) =>
        resolve(code ?? 128 + (signal ? constants.signals[signal] : 127)),
      );
    });
  } finally {
    process.removeListener("SIGINT", ignore);
  }
}
