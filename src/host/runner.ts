import { execFile } from "node:child_process";

export interface CommandResult {
  /** false when the program is not installed (ENOENT). */
  found: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a host program; injected into probes so tests can hand them recorded output. */
export type CommandRunner = (program: string, args: string[]) => Promise<CommandResult>;

/** The real runner: no shell, a time limit, and "not installed" told apart from "failed". */
export function systemRunner(timeoutMs = 10_000): CommandRunner {
  return (program, args) =>
    new Promise((resolve) => {
      execFile(
        program,
        args,
        { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = (err as NodeJS.ErrnoException | null)?.code;
          if (code === "ENOENT") {
            resolve({ found: false, exitCode: null, stdout: "", stderr: "" });
            return;
          }
          const exitCode = err
            ? typeof code === "number"
              ? code
              : ((err as { code?: number }).code ?? 1)
            : 0;
          resolve({
            found: true,
            exitCode: typeof exitCode === "number" ? exitCode : 1,
            stdout,
            stderr,
          });
        },
      );
    });
}
