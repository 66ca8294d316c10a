import type { UpOptions } from "../plan/options.js";
import { passwordFromStdin } from "./password-stdin.js";

/** `up`'s (and `plan`'s and `script`'s) flags as commander hands them over. */
export interface UpFlags extends Omit<UpOptions, "name" | "facts" | "password"> {
  json?: boolean;
  facts?: string;
}

/**
 * The library's options from the flags: the same names. `--password-stdin` reads the password
 * for `up`; `plan` and `script` only need to know that one will be set.
 */
export function upOptionsFrom(
  name: string | undefined,
  flags: UpFlags,
  command: "up" | "plan" | "script",
): UpOptions {
  // Rendering flags stay here; every other flag is an option of the same name.
  const options: UpOptions = Object.fromEntries(
    Object.entries(flags).filter(([key]) => key !== "json" && key !== "explain"),
  );
  const password =
    command === "up" && flags.passwordStdin ? { password: passwordFromStdin("up NAME") } : {};
  return { ...options, ...(name !== undefined ? { name } : {}), ...password };
}
