import { PassThrough } from "node:stream";
import { ModelboxDevError } from "../errors.js";
import { assertRunning, getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { ExecCommandOptions, ExecCommandResult } from "./types.js";

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/**
 * `exec NAME -- CMD…`: runs a command in a running environment with the given streams (a
 * terminal's), or collects its output into the result.
 */
export async function exec(
  options: ExecCommandOptions,
  context?: OperationContext,
): Promise<ExecCommandResult> {
  const { name, command } = options;
  if (command.length === 0) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "No command given to run.",
      `Put the command after '--', e.g. 'modelbox-dev exec ${name} -- nvidia-smi'.`,
    );
  }
  const { engine } = resolveContext(context);
  const c = await getEnvironment(engine, name);
  assertRunning(c, name);
  const out = options.stdout ? undefined : collector();
  const err = options.stderr ? undefined : collector();
  const exitCode = await engine.execStream(c.id, command, {
    tty: options.tty ?? false,
    ...(options.stdin ? { stdin: options.stdin } : {}),
    stdout: out?.stream ?? (options.stdout as NodeJS.WritableStream),
    stderr: err?.stream ?? (options.stderr as NodeJS.WritableStream),
  });
  return {
    ok: true,
    name: c.name,
    exitCode,
    ...(out ? { stdout: out.text() } : {}),
    ...(err ? { stderr: err.text() } : {}),
  };
}
