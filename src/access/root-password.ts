import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine } from "../engine/types.js";

/** A password chpasswd can take in one `user:password` line. */
export function validatePassword(password: string): string {
  if (password.length === 0) {
    throw new ModelboxDevError(
      "INVALID_PASSWORD",
      "The password is empty.",
      "Give a non-empty password; leave the password out entirely to log in with the SSH key only.",
    );
  }
  if (/[\r\n\0]/.test(password)) {
    throw new ModelboxDevError(
      "INVALID_PASSWORD",
      "The password contains a line break or NUL character.",
      "With --password-stdin, give the password on one line (one trailing newline is ignored).",
    );
  }
  return password;
}

/**
 * Sets root's password (R10) with chpasswd, the password travelling over the exec's stdin:
 * never in argv, env, labels or any log. Nothing of the password is repeated in errors.
 */
export async function setRootPassword(
  engine: ContainerEngine,
  containerId: string,
  password: string,
): Promise<void> {
  validatePassword(password);
  const result = await engine.exec(containerId, ["chpasswd"], {
    stdin: `root:${password}\n`,
    user: "root",
  });
  if (result.exitCode !== 0) {
    const said = `${result.stderr}\n${result.stdout}`.replaceAll(password, "***").trim();
    throw new ModelboxDevError(
      "PASSWORD_FAILED",
      result.exitCode === 127 || /not found/.test(said)
        ? "chpasswd is not available in the environment."
        : `chpasswd could not set root's password (exit ${result.exitCode}).`,
      "The image needs the passwd/shadow tools; look at the details below.",
      { details: said ? [said] : [] },
    );
  }
}

/**
 * Whether sshd will take a password login for root, from `sshd -T` (the effective settings);
 * undefined when that cannot be told (no sshd, an sshd that cannot print its settings).
 */
export async function rootPasswordLoginAllowed(
  engine: ContainerEngine,
  containerId: string,
): Promise<{ allowed: boolean; reason?: string } | undefined> {
  const result = await engine
    .exec(containerId, ["sh", "-c", "sshd -T 2>/dev/null || /usr/sbin/sshd -T"], { user: "root" })
    .catch(() => undefined);
  if (!result || result.exitCode !== 0) return undefined;
  const setting = (key: string) =>
    new RegExp(`^${key}\\s+(\\S+)`, "mi").exec(result.stdout)?.[1]?.toLowerCase();
  const password = setting("passwordauthentication");
  const rootLogin = setting("permitrootlogin");
  if (password === "no") return { allowed: false, reason: "PasswordAuthentication no" };
  if (rootLogin && rootLogin !== "yes") {
    return { allowed: false, reason: `PermitRootLogin ${rootLogin}` };
  }
  return { allowed: true };
}

/** Whether root has a usable password (`passwd -S`: "P"); undefined when that cannot be told. */
export async function rootHasPassword(
  engine: ContainerEngine,
  containerId: string,
): Promise<boolean | undefined> {
  const result = await engine
    .exec(containerId, ["passwd", "-S", "root"], { user: "root" })
    .catch(() => undefined);
  if (!result || result.exitCode !== 0) return undefined;
  return passwordStatusIn(result.stdout);
}

/** A `passwd -S root` line's answer: "P" (or "PS") is a usable password. */
export function passwordStatusIn(line: string): boolean | undefined {
  const status = line.trim().split(/\s+/)[1];
  return status === undefined ? undefined : status === "P" || status === "PS";
}

/**
 * Root's password hash from /etc/shadow, to carry a password over to a re-created environment
 * (`upgrade`): the hash stays in memory and travels over stdin only. Undefined when root has no
 * usable password ("*", "!…", empty) or the file cannot be read.
 */
export async function readRootPasswordHash(
  engine: ContainerEngine,
  containerId: string,
): Promise<string | undefined> {
  const result = await engine
    .exec(containerId, ["getent", "shadow", "root"], { user: "root" })
    .catch(() => undefined);
  if (!result || result.exitCode !== 0) return undefined;
  const hash = result.stdout.trim().split(":")[1] ?? "";
  return /^\$[^$]+\$/.test(hash) ? hash : undefined;
}

/** Sets root's password from its hash (`chpasswd -e`, over stdin). */
export async function setRootPasswordHash(
  engine: ContainerEngine,
  containerId: string,
  hash: string,
): Promise<void> {
  const result = await engine.exec(containerId, ["chpasswd", "-e"], {
    stdin: `root:${hash}\n`,
    user: "root",
  });
  if (result.exitCode !== 0) {
    throw new ModelboxDevError(
      "PASSWORD_FAILED",
      `chpasswd -e could not carry root's password over (exit ${result.exitCode}).`,
      "Set it again with 'modelbox-dev passwd NAME'.",
    );
  }
}
