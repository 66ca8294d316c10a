import { ModelboxDevError } from "../errors.js";
import { parseVersion } from "../catalog/version.js";
import { type RegistryHttp, registryErrorMessage } from "./registry-http.js";
import { byName } from "../name-order.js";

const PAGE_SIZE = 1000;
// A runaway Link chain must not loop forever.
const MAX_PAGES = 200;

export function pullScope(path: string): string {
  return `repository:${path}:pull`;
}

/** `rel="next"` target of an RFC 5988 Link header, as registries paginate tag lists. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m?.[1] && /\brel="?next"?/i.test(m[2] ?? "")) return m[1];
  }
  return undefined;
}

/**
 * Every tag of a repository (Registry HTTP API v2 `GET /v2/<path>/tags/list`), following the
 * `Link` header from page to page.
 */
export async function listTags(
  http: RegistryHttp,
  path: string,
  pageSize = PAGE_SIZE,
): Promise<string[]> {
  const tags: string[] = [];
  let next: string | undefined = `/v2/${path}/tags/list?n=${pageSize}`;
  for (let page = 0; next !== undefined && page < MAX_PAGES; page++) {
    const response = await http.request(next, pullScope(path), {
      headers: { accept: "application/json" },
    });
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ModelboxDevError(
        "IMAGE_NOT_FOUND",
        `The registry ${http.displayName} has no repository ${path}.`,
        "Check the image name ('modelbox-dev images' lists the published ones), or try another registry (--registry).",
      );
    }
    if (!response.ok) {
      throw new ModelboxDevError(
        "REGISTRY_ERROR",
        `Listing the tags of ${path} on ${http.displayName} failed: ${await registryErrorMessage(response)}.`,
        "Try again later, or use another registry (--registry).",
      );
    }
    const body = (await response.json().catch(() => undefined)) as { tags?: unknown } | undefined;
    if (!body || !(body.tags == null || Array.isArray(body.tags))) {
      throw new ModelboxDevError(
        "REGISTRY_ERROR",
        `${http.displayName} did not answer the tag list as a registry does (Registry HTTP API v2 JSON).`,
        "Check that --registry names a registry and its namespace, e.g. registry.example.com:5000/modelbox.",
      );
    }
    tags.push(
      ...((body.tags ?? []) as unknown[]).filter((t): t is string => typeof t === "string"),
    );
    next = nextLink(response.headers.get("link"));
  }
  return [...new Set(tags)];
}

/** Newest first: `latest`, then release versions from high to low, then any other tag. */
export function sortTags(tags: readonly string[]): string[] {
  const rank = (tag: string) => (tag === "latest" ? 0 : parseVersion(tag) ? 1 : 2);
  return [...tags].sort((a, b) => {
    const byRank = rank(a) - rank(b);
    if (byRank !== 0) return byRank;
    const va = parseVersion(a);
    const vb = parseVersion(b);
    if (va && vb) {
      for (let i = 0; i < Math.max(va.length, vb.length); i++) {
        const diff = (vb[i] ?? 0) - (va[i] ?? 0);
        if (diff !== 0) return diff;
      }
    }
    return byName(a, b);
  });
}
