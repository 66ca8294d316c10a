#!/usr/bin/env node
import { CommanderError } from "commander";
import { ModelboxDevError } from "../errors.js";
import { reportError } from "./output.js";
import { buildProgram } from "./program.js";

const json = process.argv.includes("--json");
let exitCode = 0;
const program = buildProgram((code) => {
  exitCode = code;
}, json);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    exitCode =
      err.exitCode === 0
        ? 0
        : json
          ? reportError(
              new ModelboxDevError(
                "INVALID_OPTION",
                err.message.replace(/^error: /, ""),
                "Run with --help for usage.",
              ),
              true,
            )
          : err.exitCode;
  } else {
    exitCode = reportError(err, json);
  }
}
process.exitCode = exitCode;
