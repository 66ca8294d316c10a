import { ageOf, imageTags } from "../../environment/image-tags.js";
import { runOperation } from "../client.js";
import { logLine, printJson, printLine } from "../output.js";

interface TagsFlags {
  registry?: string[];
  json?: boolean;
  refresh?: boolean;
}

/** `images --tags NAME`: the tags a registry has for an image (newest first). */
export async function run(name: string, flags: TagsFlags): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    imageTags(
      {
        name,
        ...(flags.registry ? { registry: flags.registry } : {}),
        refresh: flags.refresh ?? false,
      },
      context,
    ),
  );
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  const from =
    result.source === "registry"
      ? ""
      : ` (cached ${ageOf(result.fetchedAt)}; --refresh asks again)`;
  logLine(`Tags of ${result.repository} on ${result.registry}${from}:`);
  for (const w of result.warnings) logLine(`warning: ${w}`);
  for (const tag of result.tags) printLine(tag);
  if (result.tags.length === 0) logLine("(the repository has no tags)");
  return 0;
}
