import { passwordFromStdinText, readStdinSync } from "../access/password-input.js";
import { ModelboxDevError } from "../errors.js";

/** --password-stdin: the password, read from a pipe before anything else happens. */
export function passwordFromStdin(command: string): string {
  if (process.stdin.isTTY) {
    throw new ModelboxDevError(
      "PASSWORD_REQUIRED",
      "--password-stdin reads the password from a pipe, but stdin is a terminal.",
      `Pipe it in (printf '%s' "$PASSWORD" | modelbox-dev ${command} --password-stdin), or run 'modelbox-dev passwd NAME', which asks without echo.`,
    );
  }
  return passwordFromStdinText(readStdinSync());
}
