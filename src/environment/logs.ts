import { Writable } from "node:stream";
import { ModelboxDevError } from "../errors.js";
import { getEnvironment } from "./find.js";
import { type OperationContext, resolveContext, throwIfAborted } from "./operation.js";
import type { LogsOptions, LogsResult } from "./types.js";

function parseTail(tail: LogsOptions["tail"]): number | undefined {
  if (tail === undefined) return undefined;
  const n = Number(tail);
  if (!Number.isInteger(n) || n < 0) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--tail ${String(tail)} is not a line count.`,
      "E.g. --tail 100.",
    );
  }
  return n;
}

/**
 * `logs NAME`: the container's log. With `follow`, new output goes out as `output` events until
 * the signal aborts; the result's text is then empty.
 */
export async function logs(options: LogsOptions, context?: OperationContext): Promise<LogsResult> {
  const tail = parseTail(options.tail);
  const { engine, emit, signal } = resolveContext(context);
  const c = await getEnvironment(engine, options.name);
  const range = tail === undefined ? {} : { tail };
  if (!options.follow) {
    return { ok: true, name: c.name, id: c.id, text: await engine.logs(c.id, range) };
  }
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      emit({ type: "output", text: chunk.toString() });
      done();
    },
  });
  await engine.followLogs(c.id, range, out, signal);
  // Following ends with the signal (Ctrl-C): that is an interruption, exit status 130.
  throwIfAborted(signal, `logs --follow ${c.name}`);
  return { ok: true, name: c.name, id: c.id, text: "" };
}
