import { exec } from "../../environment/exec.js";

/** Runs the command with this terminal's stdin/stdout; exits with the command's exit code. */
export async function run(name: string, args: string[], flags: { tty?: boolean }): Promise<number> {
  // Options pass through untouched after the name, so the separator arrives too.
  const command = args[0] === "--" ? args.slice(1) : args;
  const tty = flags.tty ?? (process.stdin.isTTY && process.stdout.isTTY);
  const raw = tty && process.stdin.isTTY;
  if (raw) process.stdin.setRawMode(true);
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
    if (raw) process.stdin.setRawMode(false);
    process.stdin.pause();
  }
}
