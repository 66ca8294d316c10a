/**
 * `images`: the published ModelBox images, which of them the engine has, and with `forHost`
 * whether each can run on this host and why (architecture, driver against CUDA, Ascend chip).
 */
import { filterImages } from "../catalog/filter-images.js";
import { PUBLISHED_IMAGES, type PublishedImage } from "../catalog/published-images.js";
import type { ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { probeHost } from "../host/probe-host.js";
import { assessImageForHost } from "../plan/image/assess-image.js";
import { readFactsFile } from "./load-facts.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { ImagesOptions, ImagesResult } from "./types.js";

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

export async function images(
  options: ImagesOptions = {},
  context?: OperationContext,
): Promise<ImagesResult> {
  const { engine } = resolveContext(context);
  const entries = filterImages(PUBLISHED_IMAGES, {
    engine: options.engine,
    accel: options.accel,
    os: options.os,
    arch: options.arch,
    kind: options.kind,
    includeOld: options.all ?? false,
  });
  const present = await presence(engine, entries);
  const facts = options.forHost
    ? options.facts
      ? await readFactsFile(options.facts)
      : await probeHost(engine, { ports: [] })
    : undefined;
  return {
    ok: true,
    engineReachable: present !== undefined,
    images: entries.map((e, i) => {
      const usability = facts ? assessImageForHost(e, facts) : undefined;
      return {
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
        ...(usability ? { usable: usability.usable, why: usability.reason } : {}),
      };
    }),
  };
}
