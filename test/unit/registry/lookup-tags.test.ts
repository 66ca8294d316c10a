import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lookupTags } from "../../../src/registry/lookup-tags.js";
import type { FetchLike } from "../../../src/registry/registry-http.js";
import { parseRegistrySpec } from "../../../src/registry/registry-spec.js";
import { fileTagsCache } from "../../../src/registry/tags-cache.js";
import type { ModelboxDevError } from "../../../src/errors.js";

const NAME = "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const MIRROR = parseRegistrySpec("127.0.0.1:5001/modelbox");
const BACKUP = parseRegistrySpec("127.0.0.1:5002/mb");

/** A registry per port: 5001 and 5002 answer with their tags, or are down. */
function registries(state: { down: Set<string>; tags: Record<string, string[]> }) {
  const calls: string[] = [];
  const fetch: FetchLike = (url) => {
    calls.push(url);
    const u = new URL(url);
    if (state.down.has(u.host)) {
      return Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }));
    }
    const tags = state.tags[u.host] ?? [];
    return Promise.resolve(
      new Response(JSON.stringify({ name: u.pathname, tags }), {
        headers: { "content-type": "application/json" },
      }),
    );
  };
  return { fetch, calls };
}

describe("images --tags: first registry that answers, through a cache with an expiry", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mbdev-tags-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("asks the registry once, then answers from the cache until the TTL passes", async () => {
    const state = { down: new Set<string>(), tags: { "127.0.0.1:5001": ["latest", "v1.0.0"] } };
    const { fetch, calls } = registries(state);
    let now = new Date("2025-01-01T00:00:00Z");
    const options = {
      registries: [MIRROR],
      cache: fileTagsCache(dir),
      ttlSeconds: 600,
      now: () => now,
      fetch,
    };
    const first = await lookupTags(NAME, options);
    expect(first).toMatchObject({
      source: "registry",
      tags: ["latest", "v1.0.0"],
      registry: "127.0.0.1:5001/modelbox",
    });
    state.tags["127.0.0.1:5001"] = ["latest", "v1.0.0", "v1.1.0"];
    now = new Date("2025-01-01T00:09:00Z");
    expect(await lookupTags(NAME, options)).toMatchObject({
      source: "cache",
      tags: ["latest", "v1.0.0"],
    });
    expect(calls).toHaveLength(1);
    now = new Date("2025-01-01T00:11:00Z");
    expect(await lookupTags(NAME, options)).toMatchObject({
      source: "registry",
      tags: ["latest", "v1.1.0", "v1.0.0"],
    });
    expect(await lookupTags(NAME, { ...options, refresh: true })).toMatchObject({
      source: "registry",
    });
    expect(calls).toHaveLength(3);
    // The cache holds tags only.
    const [file] = await readdir(dir);
    const text = await readFile(join(dir, file ?? ""), "utf8");
    expect(JSON.parse(text)).toEqual({
      registry: "127.0.0.1:5001/modelbox",
      path: `modelbox/${NAME}`,
      tags: ["latest", "v1.0.0", "v1.1.0"],
      fetchedAt: "2025-01-01T00:11:00.000Z",
    });
  });

  it("moves on to the next registry when one is down, and says which failed", async () => {
    const { fetch } = registries({
      down: new Set(["127.0.0.1:5001"]),
      tags: { "127.0.0.1:5002": ["v2"] },
    });
    const result = await lookupTags(`modelbox/${NAME}:ignored-tag`, {
      registries: [MIRROR, BACKUP],
      fetch,
    });
    expect(result).toMatchObject({
      registry: "127.0.0.1:5002/mb",
      path: `mb/${NAME}`,
      tags: ["v2"],
    });
    expect(result.failures.map((f) => f.error.code)).toEqual(["REGISTRY_UNREACHABLE"]);
  });

  it("offline: an expired list is better than nothing, and is marked stale", async () => {
    const state = { down: new Set<string>(), tags: { "127.0.0.1:5001": ["latest"] } };
    const { fetch } = registries(state);
    let now = new Date("2025-01-01T00:00:00Z");
    const options = {
      registries: [MIRROR],
      cache: fileTagsCache(dir),
      ttlSeconds: 60,
      now: () => now,
      fetch,
    };
    await lookupTags(NAME, options);
    state.down.add("127.0.0.1:5001");
    now = new Date("2025-01-02T00:00:00Z");
    const stale = await lookupTags(NAME, options);
    expect(stale).toMatchObject({
      source: "stale-cache",
      tags: ["latest"],
      fetchedAt: "2025-01-01T00:00:00.000Z",
    });
    expect(stale.failures).toHaveLength(1);
  });

  it("every registry failing is one error listing each", async () => {
    const { fetch } = registries({ down: new Set(["127.0.0.1:5001", "127.0.0.1:5002"]), tags: {} });
    const err = (await lookupTags(NAME, { registries: [MIRROR, BACKUP], fetch }).catch(
      (e: unknown) => e,
    )) as ModelboxDevError;
    expect(err.code).toBe("REGISTRY_UNREACHABLE");
    expect(err.message).toContain("all 2 registries failed");
    expect(err.details.join("\n")).toContain("127.0.0.1:5001/modelbox");
    expect(err.details.join("\n")).toContain("127.0.0.1:5002/mb");
  });
});
