import { Writable } from "node:stream";
import { parseWholeNumber } from "../input-text.js";
import { getEnvironment } from "./find.js";
import { type OperationContext, resolveContext, throwIfAborted } from "./operation.js";
import type { LogsOptions, LogsResult } from "./types.js";

/** The engine counts lines in a signed 32-bit integer. */
const MAX_TAIL = 2_147_483_647;

function parseTail(tail: LogsOptions["tail"]): number | undefined {
  if (tail === undefined) return undefined;
  // Digits only, bounded: "1e3", "0x10" or a count beyond 2^53 is a typo, not a line count.
  return parseWholeNumber(tail, "--tail", { min: 0, max: MAX_TAIL, example: "--tail 100" });
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
