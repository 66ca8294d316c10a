/** How to reach an environment's sshd with the system OpenSSH client. */
export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** `-i`: the key to log in with (absent: the user's own default keys). */
  identityFile?: string;
  /** The environment's host keys (absent: the user's ~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** `-J`: the ports are on a remote host's loopback, reached through this ssh login. */
  proxyJump?: string;
}

/** Options before the destination, for both the printed command and `modelbox-dev ssh`. */
export function sshOptions(target: SshTarget): string[] {
  const options: string[] = [];
  if (target.identityFile) {
    // Only this key: an agent full of other keys would otherwise hit sshd's MaxAuthTries first.
    options.push("-i", target.identityFile, "-o", "IdentitiesOnly=yes");
  }
  if (target.knownHostsFile) options.push("-o", `UserKnownHostsFile=${target.knownHostsFile}`);
  if (target.proxyJump) options.push("-J", target.proxyJump);
  options.push("-p", String(target.port));
  return options;
}

export function sshDestination(target: SshTarget): string {
  return `${target.user}@${target.host}`;
}

const SHELL_SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

function shellQuote(value: string): string {
  return SHELL_SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The command line to print: copy, paste, logged in. */
export function renderSshCommand(target: SshTarget): string {
  return ["ssh", ...sshOptions(target), sshDestination(target)].map(shellQuote).join(" ");
}
