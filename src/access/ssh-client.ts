import { ModelboxDevError } from "../errors.js";
import { findOnPath } from "../find-on-path.js";

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
