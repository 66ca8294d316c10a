import { imageLoad } from "../../environment/image-archive.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";

/** `image load FILE`: a `docker save` tar (plain or gzip) into the engine. */
export async function run(file: string, flags: { json?: boolean }): Promise<number> {
  const result = await runOperation(flags.json, (context) => imageLoad({ file }, context));
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  printLine(result.images.length > 0 ? `Loaded ${result.images.join(", ")}` : `Loaded ${file}`);
  return 0;
}
