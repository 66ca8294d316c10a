import { lookupTags } from "../../registry/lookup-tags.js";
import { logLine, printJson, printLine } from "../output.js";
import { registryContext } from "../../environment/registry-context.js";
import { withInterrupt } from "../client.js";

interface TagsFlags {
  registry?: string[];
  json?: boolean;
  refresh?: boolean;
}

function age(fetchedAt: string): string {
  const minutes = Math.round((Date.now() - Date.parse(fetchedAt)) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return "just now";
  return minutes < 120 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

/** `images --tags NAME`: the tags a registry has for an image (newest first). */
export async function run(name: string, flags: TagsFlags): Promise<number> {
  const context = await registryContext(flags.registry);
  const result = await withInterrupt((signal) =>
    lookupTags(name, {
      registries: context.registries,
      credentials: context.credentials,
      cache: context.tagsCache,
      ...(context.config.tagsCacheTtlSeconds !== undefined
        ? { ttlSeconds: context.config.tagsCacheTtlSeconds }
        : {}),
      refresh: flags.refresh ?? false,
      signal,
    }),
  );
  const warnings = result.failures.map((f) => f.error.message);
  if (result.source === "stale-cache") {
    warnings.push(`No registry answered: these are the tags seen ${age(result.fetchedAt)}.`);
  }
  if (flags.json) {
    printJson({
      ok: true,
      name,
      registry: result.registry,
      repository: result.path,
      tags: result.tags,
      fetchedAt: result.fetchedAt,
      source: result.source,
      warnings,
    });
    return 0;
  }
  const from =
    result.source === "registry" ? "" : ` (cached ${age(result.fetchedAt)}; --refresh asks again)`;
  logLine(`Tags of ${result.path} on ${result.registry}${from}:`);
  for (const w of warnings) logLine(`warning: ${w}`);
  for (const tag of result.tags) printLine(tag);
  if (result.tags.length === 0) logLine("(the repository has no tags)");
  return 0;
}
