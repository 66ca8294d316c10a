import {
  type TerminalInput,
  passwordFromStdinText,
  promptHidden,
  readStream,
} from "../../access/password-input.js";
import { validatePassword } from "../../access/root-password.js";
import { passwd } from "../../environment/passwd.js";
import { ModelboxDevError } from "../../errors.js";
import { runOperation } from "../client.js";
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

/** R10: sets root's password; the library asks for it only once the environment is running. */
export async function run(
  name: string,
  flags: { passwordStdin?: boolean; json?: boolean },
): Promise<number> {
  const password = () => obtainPassword(name, flags.passwordStdin ?? false);
  const result = await runOperation(flags.json, (context) => passwd({ name, password }, context));
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  printLine(`Root's password in ${result.name} is set.`);
  for (const w of result.warnings) printLine(`warning: ${w}`);
  return 0;
}
