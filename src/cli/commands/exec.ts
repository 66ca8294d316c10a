import { exec } from "../../environment/exec.js";
import { logLine } from "../output.js";

/**
 * A terminal only when stdin is one: with a pipe or /dev/null on stdin, the end of the input
 * would end the terminal session before the command's output came back (docker refuses `-t`
 * there: "the input device is not a TTY"). Then `-t` is set aside, with a note, and the output
 * still comes through.
 */
function useTerminal(asked: boolean | undefined): boolean {
  const stdinTerminal = process.stdin.isTTY === true;
  if (asked && !stdinTerminal) {
    logLine("note: stdin is not a terminal: running the command without one (-t set aside).");
  }
  return (asked ?? process.stdout.isTTY === true) && stdinTerminal;
}

/** Runs the command with this terminal's stdin/stdout; exits with the command's exit code. */
export async function run(name: string, args: string[], flags: { tty?: boolean }): Promise<number> {
  // Options pass through untouched after the name, so the separator arrives too.
  const command = args[0] === "--" ? args.slice(1) : args;
  const tty = useTerminal(flags.tty);
  if (tty) process.stdin.setRawMode(true);
  try {
    const result = await exec({
      name,
      command,
      tty,
      ...(process.stdin.isTTY || !process.stdin.readableEnded ? { stdin: process.stdin } : {}),
      stdout: process.stdout,
      stderr: process.stderr,
    });
    return result.exitCode;
  } finally {
    if (tty) process.stdin.setRawMode(false);
    process.stdin.pause();
  }
}
