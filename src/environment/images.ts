import { filterImages } from "../catalog/filter-images.js";
import { PUBLISHED_IMAGES, type PublishedImage } from "../catalog/published-images.js";
import type { ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { probeEngineHost } from "../host/open-host-access.js";
import { assessImageForHost } from "../plan/image/assess-image.js";
import { readFactsFile } from "./load-facts.js";
import { type OperationContext, resolveContext } from "./operation.js";

export interface ImagesOptions {
  engine?: string;
  accel?: string;
  os?: string;
  arch?: string;
  kind?: string;
  /** Include superseded releases. */
  all?: boolean;
  /** Mark each image usable or not on this host, and why. */
  forHost?: boolean;
  /** With `forHost`: judge by host facts from this JSON file. */
  facts?: string;
}

export interface ImageListing {
  reference: string;
  kind: string;
  engine: string;
  engineVersion: string;
  accel: string;
  accelVersion: string;
  d310p: boolean;
  os: string;
  arch: string;
  current: boolean;
  /** The engine has it; null when the engine could not be asked. */
  present: boolean | null;
  usable?: boolean;
  why?: string;
}

export interface ImagesResult {
  ok: true;
  engineReachable: boolean;
  images: ImageListing[];
}

/** Which images the engine has; undefined when it cannot be asked (the catalogue still lists). */
async function presence(
  engine: ContainerEngine,
  entries: PublishedImage[],
): Promise<Array<boolean | undefined> | undefined> {
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

/** `images`: the published catalogue, filtered; which are present; with `forHost`, usable here. */
export async function images(
  options: ImagesOptions = {},
  context?: OperationContext,
): Promise<ImagesResult> {
  const { engine, signal } = resolveContext(context);
  const entries = filterImages(PUBLISHED_IMAGES, {
    engine: options.engine,
    accel: options.accel,
    os: options.os,
    arch: options.arch,
    kind: options.kind,
    includeOld: options.all ?? false,
  });
  const present = await presence(engine, entries);
  let usability: ReturnType<typeof assessImageForHost>[] | undefined;
  if (options.forHost) {
    const facts = options.facts
      ? await readFactsFile(options.facts)
      : await probeEngineHost(engine, { ports: [] }, signal ? { signal } : {});
    usability = entries.map((e) => assessImageForHost(e, facts));
  }
  return {
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
  };
}
