import {
  type TerminalInput,
  passwordFromStdinText,
  promptHidden,
  readStream,
} from "../../access/password-input.js";
import {
  rootPasswordLoginAllowed,
  setRootPassword,
  validatePassword,
} from "../../access/root-password.js";
import { assertRunning, getEnvironment } from "../../environment/find.js";
import { ModelboxDevError } from "../../errors.js";
import { LABELS, parsePortsLabel } from "../../labels.js";
import { createEngine } from "../context.js";
import { printJson, printLine } from "../output.js";

/** The password: from stdin with --password-stdin, else asked twice on the terminal. */
async function obtainPassword(name: string, passwordStdin: boolean): Promise<string> {
  const stdin = process.stdin as TerminalInput;
  if (passwordStdin) {
    if (stdin.isTTY) {
      throw new ModelboxDevError(
        "PASSWORD_REQUIRED",
        "--password-stdin reads the password from a pipe, but stdin is a terminal.",
        `Leave out --password-stdin to be asked without echo: 'modelbox-dev passwd ${name}'.`,
      );
    }
    return passwordFromStdinText(await readStream(process.stdin));
  }
  if (!stdin.isTTY) {
    throw new ModelboxDevError(
      "PASSWORD_REQUIRED",
      "No terminal to ask for the password on, and --password-stdin was not given.",
      `Pipe the password with --password-stdin: printf '%s' "$PASSWORD" | modelbox-dev passwd ${name} --password-stdin`,
    );
  }
  const first = validatePassword(await promptHidden("New root password: ", stdin, process.stderr));
  const again = await promptHidden("Retype the password: ", stdin, process.stderr);
  if (first !== again) {
    throw new ModelboxDevError(
      "INVALID_PASSWORD",
      "The two passwords differ; nothing was changed.",
      `Run 'modelbox-dev passwd ${name}' again.`,
    );
  }
  return first;
}

/** R10: sets root's password; it travels to chpasswd over the exec's stdin only. */
export async function run(
  name: string,
  flags: { passwordStdin?: boolean; json?: boolean },
): Promise<number> {
  const engine = createEngine();
  const c = await getEnvironment(engine, name);
  assertRunning(c, name);
  const password = await obtainPassword(name, flags.passwordStdin ?? false);
  await setRootPassword(engine, c.id, password);
  const hasSsh = parsePortsLabel(c.labels[LABELS.ports]).ssh !== undefined;
  const login = hasSsh ? await rootPasswordLoginAllowed(engine, c.id) : undefined;
  const warnings: string[] = [];
  if (!hasSsh || c.labels[LABELS.kind] === "runtime") {
    warnings.push("This environment has no sshd: the password is for su and the console only.");
  } else if (login && !login.allowed) {
    warnings.push(
      `sshd refuses password logins for root (${login.reason ?? "its settings"}): log in with the key ('modelbox-dev ssh ${name}').`,
    );
  }
  if (flags.json) {
    printJson({ ok: true, name: c.name, id: c.id, passwordSet: true, warnings });
    return 0;
  }
  printLine(`Root's password in ${c.name} is set.`);
  for (const w of warnings) printLine(`warning: ${w}`);
  return 0;
}
