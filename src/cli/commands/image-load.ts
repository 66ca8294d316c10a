import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { PassThrough } from "node:stream";
import { ModelboxDevError } from "../../errors.js";
import { createEngine } from "../context.js";
import { printJson, printLine } from "../output.js";
import { counting, progressMode, transferReporter } from "../pull-progress.js";
import { withInterrupt } from "../client.js";

/** `image load FILE`: a `docker save` tar (plain or gzip) into the engine. */
export async function run(file: string, flags: { json?: boolean }): Promise<number> {
  const size = await stat(file).then(
    (s) => s.size,
    () => {
      throw new ModelboxDevError(
        "IMAGE_LOAD_FAILED",
        `There is no file ${file}.`,
        "Give the file 'modelbox-dev image save' (or 'docker save') wrote.",
      );
    },
  );
  const engine = createEngine();
  const reporter = transferReporter(
    "Loading",
    size,
    progressMode(flags.json, process.stderr),
    process.stderr,
  );
  let loaded: string[];
  try {
    loaded = await withInterrupt(async (signal) => {
      const body = new PassThrough();
      const sending = pipeline(
        createReadStream(file),
        counting((n) => reporter.add(n)),
        body,
        {
          signal,
        },
      );
      const [names] = await Promise.all([engine.loadImage(body, signal), sending]);
      return names;
    });
  } catch (err) {
    reporter.done();
    if (err instanceof ModelboxDevError) throw err;
    if (err instanceof Error && err.name === "AbortError") {
      throw new ModelboxDevError("INTERRUPTED", `Loading ${file} was interrupted.`);
    }
    const message = err instanceof Error ? err.message : String(err);
    throw new ModelboxDevError(
      /no space left/i.test(message) ? "DISK_FULL" : "IMAGE_LOAD_FAILED",
      `Loading ${file} failed: ${message}`,
      "Is it a complete file from 'modelbox-dev image save' or 'docker save'? Copy it again if it was cut short.",
      { cause: err },
    );
  }
  reporter.done();
  if (flags.json) {
    printJson({ ok: true, file, images: loaded });
    return 0;
  }
  printLine(loaded.length > 0 ? `Loaded ${loaded.join(", ")}` : `Loaded ${file}`);
  return 0;
}
