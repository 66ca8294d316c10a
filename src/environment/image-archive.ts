import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { resolveImageArgument } from "../catalog/image-argument.js";
import { EngineCallError } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { type OperationContext, type OperationEvent, resolveContext } from "./operation.js";

/** `image save` and `image load`: images between hosts without a registry (air-gapped). */

export interface ImageSaveOptions {
  images: string[];
  /** File to write; a .gz or .tgz name is gzip-compressed. */
  output: string;
}

export interface ImageSaveResult {
  ok: true;
  file: string;
  images: string[];
  bytes: number;
  compressed: boolean;
}

export interface ImageLoadOptions {
  file: string;
}

export interface ImageLoadResult {
  ok: true;
  file: string;
  /** What the engine says it loaded ("repo:tag", or an image id for an unnamed image). */
  images: string[];
}

/** Passes bytes through, telling the client how many went by. */
function counting(
  label: "Saving" | "Loading",
  total: number | undefined,
  emit: (e: OperationEvent) => void,
): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      emit({
        type: "image-archive",
        label,
        phase: "progress",
        bytes: chunk.length,
        ...(total ? { total } : {}),
      });
      callback(null, chunk);
    },
  });
}

function failure(err: unknown, what: string, code: "IMAGE_SAVE_FAILED" | "IMAGE_LOAD_FAILED") {
  if (err instanceof ModelboxDevError) return err;
  if (err instanceof Error && err.name === "AbortError") {
    return new ModelboxDevError(
      "INTERRUPTED",
      code === "IMAGE_SAVE_FAILED"
        ? "Saving was interrupted; no file was written."
        : `Loading ${what} was interrupted.`,
      "Run the command again; nothing half-written is kept.",
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  const hint =
    code === "IMAGE_LOAD_FAILED"
      ? "Is it a complete file from 'modelbox-dev image save' or 'docker save'? Copy it again if it was cut short."
      : err instanceof EngineCallError
        ? "Check the engine's log (journalctl -u docker)."
        : "Check that the directory exists, is writable and has space.";
  return new ModelboxDevError(
    /no space left/i.test(message) ? "DISK_FULL" : code,
    `${code === "IMAGE_SAVE_FAILED" ? "Saving" : "Loading"} ${what} failed: ${message}`,
    hint,
    { cause: err },
  );
}

/**
 * `image save IMAGE… -o FILE`: the engine's `docker save` tar, written to a temporary name and
 * renamed when complete, so an interrupted save never leaves a file that looks whole.
 */
export async function imageSave(
  options: ImageSaveOptions,
  context?: OperationContext,
): Promise<ImageSaveResult> {
  const { engine, emit, signal } = resolveContext(context);
  const refs = options.images.map(resolveImageArgument);
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
  const gzip = /\.(t?gz)$/i.test(options.output);
  const partial = `${options.output}.partial`;
  try {
    const tar = await engine.saveImage(refs, signal);
    await pipeline(
      [
        tar,
        counting("Saving", total || undefined, emit),
        ...(gzip ? [createGzip()] : []),
        createWriteStream(partial, { mode: 0o644 }),
      ],
      ...(signal ? [{ signal }] : []),
    );
    await rename(partial, options.output);
  } catch (err) {
    await rm(partial, { force: true });
    throw failure(err, `${refs.join(", ")} to ${options.output}`, "IMAGE_SAVE_FAILED");
  } finally {
    emit({ type: "image-archive", label: "Saving", phase: "done" });
  }
  const bytes = (await stat(options.output)).size;
  return { ok: true, file: options.output, images: refs, bytes, compressed: gzip };
}

/** `image load FILE`: a `docker save` tar (plain or gzip) into the engine. */
export async function imageLoad(
  options: ImageLoadOptions,
  context?: OperationContext,
): Promise<ImageLoadResult> {
  const { file } = options;
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
  const { engine, emit, signal } = resolveContext(context);
  try {
    const body = new PassThrough();
    const sending = pipeline(
      createReadStream(file),
      counting("Loading", size, emit),
      body,
      ...(signal ? [{ signal }] : []),
    );
    const [images] = await Promise.all([engine.loadImage(body, signal), sending]);
    return { ok: true, file, images };
  } catch (err) {
    throw failure(err, file, "IMAGE_LOAD_FAILED");
  } finally {
    emit({ type: "image-archive", label: "Loading", phase: "done" });
  }
}
