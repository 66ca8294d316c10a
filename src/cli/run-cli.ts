import { CommanderError } from "commander";
import { ModelboxDevError } from "../errors.js";
import { reportError } from "./output.js";
import { buildProgram } from "./program.js";

/** Parses the command line and runs the command; sets the process' exit code. */
export async function runCli(argv: string[]): Promise<void> {
  const json = argv.includes("--json");
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  }, json);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    exitCode = exitCodeOf(err, json);
  }
  process.exitCode = exitCode;
}

function exitCodeOf(err: unknown, json: boolean): number {
  if (!(err instanceof CommanderError)) return reportError(err, json);
  // --help and --version end here too, with exit code 0.
  if (err.exitCode === 0) return 0;
  if (!json) return err.exitCode;
  const message = err.message.replace(/^error: /, "");
  return reportError(
    new ModelboxDevError("INVALID_OPTION", message, "Run with --help for usage."),
    true,
  );
}
