import { execFile } from "node:child_process";
import { findOnPath } from "../find-on-path.js";

export interface CommandResult {
  /** false when the program is not installed (ENOENT). */
  found: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a host program; injected into probes so tests can hand them recorded output. */
export type CommandRunner = (program: string, args: string[]) => Promise<CommandResult>;

const NOT_FOUND: CommandResult = { found: false, exitCode: null, stdout: "", stderr: "" };

/** The real runner: no shell, a time limit, and "not installed" told apart from "failed". */
export function systemRunner(timeoutMs = 10_000): CommandRunner {
  return async (program, args) => {
    // An absent program costs a few stats instead of a spawn: Node forks and waits for the exec
    // to fail on its main thread (about 10 ms each), and most hosts lack most probed tools.
    const file = findOnPath(program);
    if (file === undefined) return NOT_FOUND;
    return new Promise((resolve) => {
      execFile(
        file,
        args,
        { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 8 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = (err as NodeJS.ErrnoException | null)?.code;
          if (code === "ENOENT") {
            resolve(NOT_FOUND);
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
  };
}
