import { imageSave } from "../../environment/image-archive.js";
import { formatBytes } from "../../registry/pull-tracker.js";
import { runOperation } from "../client.js";
import { logLine, printJson, printLine } from "../output.js";

/** `image save IMAGE… -o FILE`: images into a tar file for a host without a registry. */
export async function run(
  images: string[],
  flags: { output: string; json?: boolean },
): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    imageSave({ images, output: flags.output }, context),
  );
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  printLine(`Saved ${result.images.join(", ")} to ${result.file} (${formatBytes(result.bytes)}).`);
  logLine(`On the other host: modelbox-dev image load ${result.file}`);
  return 0;
}
