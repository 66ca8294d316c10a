import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** One repository's tag list as a registry gave it at `fetchedAt` (no credentials, ever). */
export interface CachedTags {
  /** The registry as the user names it, e.g. "docker.io/modelbox". */
  registry: string;
  /** Path inside the registry, e.g. "modelbox/<name>". */
  path: string;
  tags: string[];
  /** ISO time. */
  fetchedAt: string;
}

export interface TagsCache {
  read(baseUrl: string, path: string): Promise<CachedTags | undefined>;
  write(baseUrl: string, entry: CachedTags): Promise<void>;
}

export const DEFAULT_TAGS_TTL_SECONDS = 3600;

export function isFresh(entry: CachedTags, ttlSeconds: number, now: Date): boolean {
  const age = now.getTime() - Date.parse(entry.fetchedAt);
  return Number.isFinite(age) && age >= 0 && age < ttlSeconds * 1000;
}

function isCachedTags(value: unknown): value is CachedTags {
  const v = value as Partial<CachedTags> | null;
  return (
    typeof v?.registry === "string" &&
    typeof v.path === "string" &&
    typeof v.fetchedAt === "string" &&
    Array.isArray(v.tags) &&
    v.tags.every((t) => typeof t === "string")
  );
}

/** A JSON file per repository under `dir`; a broken or missing file is simply a miss. */
export function fileTagsCache(dir: string): TagsCache {
  const file = (baseUrl: string, path: string) =>
    join(
      dir,
      `${createHash("sha256").update(`${baseUrl}/${path}`).digest("hex").slice(0, 32)}.json`,
    );
  return {
    async read(baseUrl, path) {
      try {
        const parsed: unknown = JSON.parse(await readFile(file(baseUrl, path), "utf8"));
        return isCachedTags(parsed) && parsed.path === path ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    async write(baseUrl, entry) {
      const target = file(baseUrl, entry.path);
      await mkdir(dir, { recursive: true });
      // Write then rename: a concurrent reader never sees half a file.
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o644 });
      await rename(temp, target);
    },
  };
}
