import { distance } from "fastest-levenshtein";
import { parseImageReference } from "./image-reference.js";
import { type ModelboxImageName, parseModelboxName } from "./modelbox-name.js";
import { PUBLISHED_IMAGES, type PublishedImage } from "./published-images.js";
import { byName } from "../name-order.js";

/**
 * The catalogue's short form of a ModelBox name: the engine and accelerator parts, with only
 * the parts that differ from the usual choice (develop, ubuntu, x86_64) added, e.g.
 * `tensorflow_2.6.0-cuda_11.2` or `runtime-mindspore_1.9.0-cann_6.0.1-d310p-openeuler-aarch64`.
 */
export function shortName(name: ModelboxImageName): string {
  return [
    ...(name.kind === "runtime" ? ["runtime"] : []),
    `${name.engine}_${name.engineVersion}`,
    `${name.accel}_${name.accelVersion}`,
    ...(name.d310p ? ["d310p"] : []),
    ...(name.os === "openeuler" ? ["openeuler"] : []),
    ...(name.arch === "aarch64" ? ["aarch64"] : []),
  ].join("-");
}

/**
 * An image reference as a table shows it: a ModelBox image by its short form (with its tag
 * unless latest, and its registry unless Docker Hub); anything else as it is.
 */
export function shortImageReference(reference: string): string {
  let parsed;
  try {
    parsed = parseImageReference(reference);
  } catch {
    return reference;
  }
  const last = parsed.path.slice(parsed.path.lastIndexOf("/") + 1);
  const name = parseModelboxName(last);
  if (!name) return reference;
  const hub = parsed.registry === undefined || parsed.registry === "docker.io";
  const namespace = parsed.path.slice(0, parsed.path.lastIndexOf("/"));
  const prefix =
    hub && (namespace === "modelbox" || namespace === "")
      ? ""
      : `${parsed.registry ?? namespace}/…/`;
  const tag = parsed.tag && parsed.tag !== "latest" ? `:${parsed.tag}` : "";
  return `${prefix}${shortName(name)}${tag}${parsed.digest ? `@${parsed.digest.slice(0, 19)}` : ""}`;
}

/** The catalogue entry a short form stands for, with the tag written after it. */
export function findByShortName(
  text: string,
  entries: readonly PublishedImage[] = PUBLISHED_IMAGES,
): { entry: PublishedImage; tag?: string } | undefined {
  const colon = text.indexOf(":");
  const base = colon < 0 ? text : text.slice(0, colon);
  const tag = colon < 0 ? undefined : text.slice(colon + 1);
  const entry = entries.find((e) => shortName(e) === base);
  if (!entry || tag === "") return undefined;
  return tag === undefined ? { entry } : { entry, tag };
}

/**
 * The catalogue names closest to `text`, current first: by edit distance to the nearest start of
 * the short form or the full name (people type a name's beginning: the distance to a whole long
 * name is mostly its length, which ranked "modelbox-develop-libtorch_1.9" nearer to tensorflow
 * than to libtorch); a name that contains the text counts as nearest.
 */
export function closestImages(
  text: string,
  count = 3,
  entries: readonly PublishedImage[] = PUBLISHED_IMAGES,
): PublishedImage[] {
  const bare = bareName(text);
  const scored = entries.map((entry) => {
    const short = shortName(entry);
    const score =
      short.includes(bare) || entry.name.includes(bare)
        ? 0
        : Math.min(distanceToStart(bare, short), distanceToStart(bare, entry.name));
    return { entry, short, score: score + (entry.current ? 0 : 0.5) };
  });
  // Equally near: the plainest variant first (Ubuntu on x86_64 adds nothing to its short form).
  return scored
    .sort(
      (a, b) =>
        a.score - b.score || a.short.length - b.short.length || byName(a.entry.name, b.entry.name),
    )
    .slice(0, count)
    .map((s) => s.entry);
}

/** Edit distance from `text` to the nearest start of `name` (within two characters of its length). */
function distanceToStart(text: string, name: string): number {
  let best = Infinity;
  const longest = Math.min(name.length, text.length + 2);
  for (let length = Math.max(0, text.length - 2); length <= longest; length++) {
    best = Math.min(best, distance(text, name.slice(0, length)));
  }
  return best;
}

/** Whether `text` is plainly meant as a catalogue image: "modelbox-…", part of a short form, or a typo away from one. */
export function looksLikeCatalogueName(text: string): boolean {
  const bare = bareName(text);
  if (bare.startsWith("modelbox-")) return true;
  if (bare.length < 3) return false;
  // A typo away from a short or full name (a fifth of its length, at least two edits).
  const near = (name: string) => distance(bare, name) <= Math.max(2, Math.floor(name.length / 5));
  return PUBLISHED_IMAGES.some(
    (e) => shortName(e).includes(bare) || near(shortName(e)) || near(e.name),
  );
}

/** The last path component without tag or digest: what a person typed as the image's name. */
function bareName(text: string): string {
  const noDigest = text.split("@")[0] ?? text;
  const last = noDigest.slice(noDigest.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  return (colon < 0 ? last : last.slice(0, colon)).toLowerCase();
}
