import { userInfo } from "node:os";
import type { ContainerSummary } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { LABELS } from "../labels.js";

/**
 * The person running the command: under sudo, the one who ran sudo (SUDO_USER), not root, so an
 * environment made with `sudo modelbox-dev up` is still theirs on a shared server.
 */
export function invokingUser(env: NodeJS.ProcessEnv = process.env): string {
  const sudoUser = env.SUDO_USER?.trim();
  if (sudoUser) return sudoUser;
  try {
    return userInfo().username;
  } catch {
    // A uid without a passwd entry (some containers): the shell's word for it, else the number.
    return env.USER ?? env.LOGNAME ?? String(process.getuid?.() ?? "unknown");
  }
}

/** Who made the environment; undefined for ones made before owners were recorded. */
export function ownerOf(c: Pick<ContainerSummary, "labels">): string | undefined {
  return c.labels[LABELS.owner] || undefined;
}

/**
 * `rm`, `stop` and `passwd` on someone else's environment need `force`, and the refusal says
 * whose it is. Environments without an owner label belong to nobody in particular.
 */
export function assertOwnedOrForced(
  c: Pick<ContainerSummary, "labels" | "name">,
  action: "rm" | "stop" | "passwd",
  force: boolean | undefined,
  user: string = invokingUser(),
): void {
  const owner = ownerOf(c);
  if (force || owner === undefined || owner === user) return;
  throw new ModelboxDevError(
    "NOT_OWNER",
    `Environment ${JSON.stringify(c.name)} belongs to ${owner}, not to you (${user}).`,
    `Ask ${owner} first; to ${action === "rm" ? "remove" : action === "stop" ? "stop" : "set the password of"} it anyway: 'modelbox-dev ${action} --force ${c.name}'.`,
  );
}
