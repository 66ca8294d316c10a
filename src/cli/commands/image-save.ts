import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { resolveImageArgument } from "../../registry/image-source.js";
import { formatBytes } from "../../registry/pull-tracker.js";
import { EngineCallError } from "../../engine/types.js";
import { ModelboxDevError } from "../../errors.js";
import { createEngine } from "../context.js";
import { logLine, printJson, printLine } from "../output.js";
import { counting, progressMode, transferReporter } from "../pull-progress.js";
import { withInterrupt } from "../client.js";

/**
 * `image save IMAGE… -o FILE`: the engine's `docker save` tar, written to a temporary name and
 * renamed when complete, so an interrupted save never leaves a file that looks whole.
 */
export async function run(
  images: string[],
  flags: { output: string; json?: boolean },
): Promise<number> {
  const engine = createEngine();
  const refs = images.map(resolveImageArgument);
  let total = 0;
  for (const ref of refs) {
    const found = await engine.inspectImage(ref);
    if (!found) {
      throw new ModelboxDevError(
        "IMAGE_NOT_FOUND",
        `Image ${ref} is not present on the engine, so it cannot be saved.`,
        `Pull it first: 'modelbox-dev pull ${ref}'.`,
      );
    }
    total += found.sizeBytes ?? 0;
  }
  const gzip = /\.(t?gz)$/i.test(flags.output);
  const partial = `${flags.output}.partial`;
  const reporter = transferReporter(
    "Saving",
    total || undefined,
    progressMode(flags.json, process.stderr),
    process.stderr,
  );
  try {
    await withInterrupt(async (signal) => {
      const tar = await engine.saveImage(refs, signal);
      await pipeline(
        [
          tar,
          counting((n) => reporter.add(n)),
          ...(gzip ? [createGzip()] : []),
          createWriteStream(partial, { mode: 0o644 }),
        ],
        { signal },
      );
    });
    await rename(partial, flags.output);
  } catch (err) {
    await rm(partial, { force: true });
    reporter.done();
    if (err instanceof ModelboxDevError) throw err;
    if (err instanceof Error && err.name === "AbortError") {
      throw new ModelboxDevError("INTERRUPTED", "Saving was interrupted; no file was written.");
    }
    const message = err instanceof Error ? err.message : String(err);
    throw new ModelboxDevError(
      /no space left/i.test(message) ? "DISK_FULL" : "IMAGE_SAVE_FAILED",
      `Saving ${refs.join(", ")} to ${flags.output} failed: ${message}`,
      err instanceof EngineCallError
        ? "Check the engine's log (journalctl -u docker)."
        : "Check that the directory exists, is writable and has space.",
      { cause: err },
    );
  }
  reporter.done();
  const size = (await stat(flags.output)).size;
  if (flags.json) {
    printJson({ ok: true, file: flags.output, images: refs, bytes: size, compressed: gzip });
    return 0;
  }
  printLine(`Saved ${refs.join(", ")} to ${flags.output} (${formatBytes(size)}).`);
  logLine(`On the other host: modelbox-dev image load ${flags.output}`);
  return 0;
}
