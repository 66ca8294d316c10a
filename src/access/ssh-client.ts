import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { ModelboxDevError } from "../errors.js";

/** The first executable `program` on PATH, if any. */
export function findOnPath(program: string, env: NodeJS.ProcessEnv = process.env) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The system OpenSSH client on PATH, if any. */
export function findSshClient(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findOnPath("ssh", env);
}

export function requireSshClient(env: NodeJS.ProcessEnv = process.env): string {
  const ssh = findSshClient(env);
  if (!ssh) {
    throw new ModelboxDevError(
      "SSH_CLIENT_MISSING",
      "No ssh client was found on PATH.",
      "Install OpenSSH's client (Debian/Ubuntu: 'apt-get install openssh-client'; openEuler/CentOS: 'dnf install openssh-clients').",
    );
  }
  return ssh;
}
