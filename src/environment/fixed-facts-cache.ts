import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheDir } from "../config/paths.js";
import { sha256Hex } from "../crypto-on-demand.js";
import { type FixedFacts, isFixedFacts } from "./fixed-facts.js";

/**
 * The fixed facts of one engine's containers, by container id, in a JSON file per engine under
 * the cache directory. A missing or broken file, or a broken entry, is a miss: the container is
 * inspected again. Nothing secret is kept (variables only as the GPUs they name).
 */
function cacheFile(engineUrl: string): string {
  // The URL itself, made a file name (base64url: no "/"), not a hash of it: no node:crypto to
  // load for `ls` (~4 ms). A URL too long for a file name is hashed.
  const encoded = Buffer.from(engineUrl).toString("base64url");
  const key = encoded.length <= MAX_KEY_LENGTH ? encoded : sha256Hex(engineUrl).slice(0, 32);
  return join(cacheDir(), "containers", `${key}.json`);
}

/** File names end at 255 bytes; what is left is for ".json". */
const MAX_KEY_LENGTH = 200;

export async function readFixedFacts(engineUrl: string): Promise<Map<string, FixedFacts>> {
  const out = new Map<string, FixedFacts>();
  try {
    const parsed = JSON.parse(await readFile(cacheFile(engineUrl), "utf8")) as {
      engine?: unknown;
      containers?: Record<string, unknown>;
    };
    if (parsed.engine !== engineUrl) return out;
    for (const [id, facts] of Object.entries(parsed.containers ?? {})) {
      if (isFixedFacts(facts)) out.set(id, facts);
    }
  } catch {
    // no cache yet, or unreadable: every container is a miss
  }
  return out;
}

/** Replaces the engine's file with these entries (the containers it has now). */
export async function writeFixedFacts(
  engineUrl: string,
  facts: ReadonlyMap<string, FixedFacts>,
): Promise<void> {
  const target = cacheFile(engineUrl);
  await mkdir(join(cacheDir(), "containers"), { recursive: true });
  // Write then rename: a concurrent reader never sees half a file.
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(
    temp,
    JSON.stringify({ engine: engineUrl, containers: Object.fromEntries(facts) }),
  );
  await rename(temp, target);
}
