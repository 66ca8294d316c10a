import {
  rootPasswordLoginAllowed,
  setRootPassword,
  validatePassword,
} from "../access/root-password.js";
import { LABELS } from "../labels.js";
import { hostPortsByPurpose } from "../published-ports.js";
import { assertRunning, getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { PasswdOptions, PasswdResult } from "./types.js";

/** R10: sets root's password; it travels to chpasswd over the exec's stdin only. */
export async function passwd(
  options: PasswdOptions,
  context?: OperationContext,
): Promise<PasswdResult> {
  const { name } = options;
  const { engine } = resolveContext(context);
  const c = await getEnvironment(engine, name);
  assertRunning(c, name);
  const given = typeof options.password === "string" ? options.password : await options.password();
  const password = validatePassword(given);
  await setRootPassword(engine, c.id, password);
  const hasSsh = hostPortsByPurpose(c).ssh !== undefined;
  const login = hasSsh ? await rootPasswordLoginAllowed(engine, c.id) : undefined;
  const warnings: string[] = [];
  if (!hasSsh || c.labels[LABELS.kind] === "runtime") {
    warnings.push("This environment has no sshd: the password is for su and the console only.");
  } else if (login && !login.allowed) {
    warnings.push(
      `sshd refuses password logins for root (${login.reason ?? "its settings"}): log in with the key ('modelbox-dev ssh ${name}').`,
    );
  }
  return { ok: true, name: c.name, id: c.id, passwordSet: true, warnings };
}
