import { filterImages } from "../catalog/filter-images.js";
import { PUBLISHED_IMAGES, type PublishedImage } from "../catalog/published-images.js";
import { shortName } from "../catalog/short-names.js";
import type { ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import type { HostFacts } from "../host/facts.js";
import { probeEngineHost } from "../host/open-host-access.js";
import { listDevDirectory, probeAscend } from "../host/probe-ascend.js";
import { probeEngine } from "../host/probe-engine.js";
import { probeNvidia } from "../host/probe-nvidia.js";
import { systemRunner } from "../host/runner.js";
import { type AcceleratorPreference, chooseImage } from "../plan/image/choose-image.js";
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
  /** The catalogue's short form, which `up --image` and `pull` take too. */
  shortName: string;
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
  /** `up` with these filters as its --engine/--accel/--os/--kind would choose this image here. */
  chosen?: true;
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

/**
 * The host's facts: from the file, else probed. Without --for-host only what choosing an image
 * needs (engine, GPUs, chips), and only when the engine answers; the list never waits on more.
 */
async function factsFor(
  engine: ContainerEngine,
  options: ImagesOptions,
  reachable: boolean,
  signal: AbortSignal | undefined,
): Promise<HostFacts | undefined> {
  if (options.facts) return readFactsFile(options.facts);
  if (options.forHost) return probeEngineHost(engine, { ports: [] }, signal ? { signal } : {});
  if (!reachable) return undefined;
  const run = systemRunner();
  const [engineFacts, nvidia, ascend] = await Promise.all([
    probeEngine(engine),
    probeNvidia(run),
    probeAscend(run, listDevDirectory),
  ]);
  return { engine: engineFacts, nvidia, ascend, portsInUse: [] };
}

/** The reference `up` would start with these filters, or undefined when none fits the host. */
function choice(facts: HostFacts, options: ImagesOptions): string | undefined {
  try {
    const picked = chooseImage(PUBLISHED_IMAGES, facts, {
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.accel ? { accel: options.accel as AcceleratorPreference } : {}),
      ...(options.os ? { os: options.os } : {}),
      ...(options.kind ? { kind: options.kind } : {}),
    });
    return `${picked.entry.repository}:${picked.entry.defaultTag}`;
  } catch (err) {
    if (err instanceof ModelboxDevError) return undefined;
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
  const facts = await factsFor(engine, options, present !== undefined, signal);
  if (options.forHost && facts) usability = entries.map((e) => assessImageForHost(e, facts));
  const chosen = facts ? choice(facts, options) : undefined;
  return {
    ok: true,
    engineReachable: present !== undefined,
    images: entries.map((e, i) => ({
      reference: `${e.repository}:${e.defaultTag}`,
      shortName: shortName(e),
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
      ...(chosen === `${e.repository}:${e.defaultTag}` ? { chosen: true as const } : {}),
    })),
  };
}
