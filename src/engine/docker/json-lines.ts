import { createInterface } from "node:readline";

type EngineStream = NodeJS.ReadableStream & { destroy?: () => void };

/**
 * The JSON documents of a stream the engine holds open (events, stats), one per line, until the
 * stream ends or `signal` aborts. An abort before the engine answers, or mid-read, ends quietly:
 * the caller is gone, and so is the need.
 */
export async function* jsonLines(
  open: () => Promise<EngineStream>,
  signal: AbortSignal,
): AsyncIterable<unknown> {
  if (signal.aborted) return;
  let stream: EngineStream;
  try {
    stream = await open();
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  // A destroyed stream never ends a readline iterator: closing the interface does.
  const stop = () => {
    lines.close();
    stream.destroy?.();
  };
  signal.addEventListener("abort", stop, { once: true });
  try {
    for await (const line of lines) {
      if (line.trim()) yield JSON.parse(line) as unknown;
    }
  } catch (err) {
    // Aborting tears the connection down mid-read; that is the normal end.
    if (!signal.aborted) throw err;
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
}
