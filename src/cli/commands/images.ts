import { assessImageForHost } from "../../plan/image/assess-image.js";
import { filterImages } from "../../catalog/filter-images.js";
import { probeEngineHost } from "../../host/open-host-access.js";
import { PUBLISHED_IMAGES, type PublishedImage } from "../../catalog/published-images.js";
import { ModelboxDevError } from "../../errors.js";
import { createEngine } from "../context.js";
import { withInterrupt } from "../registry-hooks.js";
import { readFactsFile } from "../up-options.js";
import { formatTable, logLine, printJson, printLine } from "../output.js";

interface ImagesFlags {
  engine?: string;
  accel?: string;
  os?: string;
  arch?: string;
  kind?: string;
  all?: boolean;
  forHost?: boolean;
  facts?: string;
  tags?: string;
  json?: boolean;
}

/** Which images the engine has; undefined when it cannot be asked (the catalogue still lists). */
async function presence(
  entries: PublishedImage[],
): Promise<Array<boolean | undefined> | undefined> {
  const engine = createEngine();
  try {
    return await Promise.all(
      entries.map(
        async (e) => (await engine.inspectImage(`${e.repository}:${e.defaultTag}`)) !== undefined,
      ),
    );
  } catch (err) {
    if (err instanceof ModelboxDevError && err.code === "ENGINE_UNAVAILABLE") return undefined;
    throw err;
  }
}

/** --for-host: each image usable here or not, and why (arch, driver vs CUDA, Ascend chip). */
async function assessForHost(entries: PublishedImage[], factsFile: string | undefined) {
  const facts = factsFile
    ? await readFactsFile(factsFile)
    : await withInterrupt((signal) => probeEngineHost(createEngine(), { ports: [] }, { signal }));
  return entries.map((e) => assessImageForHost(e, facts));
}

export async function run(flags: ImagesFlags): Promise<number> {
  if (flags.tags !== undefined) return (await import("./image-tags.js")).run(flags.tags, flags);
  const entries = filterImages(PUBLISHED_IMAGES, {
    engine: flags.engine,
    accel: flags.accel,
    os: flags.os,
    arch: flags.arch,
    kind: flags.kind,
    includeOld: flags.all ?? false,
  });
  const present = await presence(entries);
  const usability = flags.forHost ? await assessForHost(entries, flags.facts) : undefined;
  if (flags.json) {
    printJson({
      ok: true,
      engineReachable: present !== undefined,
      images: entries.map((e, i) => ({
        reference: `${e.repository}:${e.defaultTag}`,
        kind: e.kind,
        engine: e.engine,
        engineVersion: e.engineVersion,
        accel: e.accel,
        accelVersion: e.accelVersion,
        d310p: e.d310p,
        os: e.os,
        arch: e.arch,
        current: e.current,
        present: present?.[i] ?? null,
        ...(usability
          ? { usable: usability[i]?.usable ?? false, why: usability[i]?.reason ?? "" }
          : {}),
      })),
    });
    return 0;
  }
  if (entries.length === 0) {
    printLine("No published image matches these filters.");
    return 0;
  }
  const rows = entries.map((e, i) => [
    `${e.repository}:${e.defaultTag}`,
    e.kind,
    `${e.engine} ${e.engineVersion}`,
    `${e.accel} ${e.accelVersion}${e.d310p ? " (310P)" : ""}`,
    e.os,
    e.arch,
    present === undefined ? "?" : present[i] ? "yes" : "no",
    ...(usability ? [usability[i]?.usable ? "yes" : "no", usability[i]?.reason ?? ""] : []),
  ]);
  const header = ["IMAGE", "KIND", "ENGINE", "ACCEL", "OS", "ARCH", "PRESENT"];
  printLine(formatTable(usability ? [...header, "USABLE", "WHY"] : header, rows));
  if (present === undefined) logLine("note: no container engine reachable, so PRESENT is unknown.");
  return 0;
}
