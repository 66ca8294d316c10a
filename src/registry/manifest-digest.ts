import { createHash } from "node:crypto";
import { ModelboxDevError } from "../errors.js";
import { pullScope } from "./list-tags.js";
import { type RegistryHttp, registryErrorMessage } from "./registry-http.js";

// What the engine accepts when it pulls, so the registry answers with the manifest whose digest
// the engine recorded in RepoDigests.
const MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
].join(", ");

/** The digest the tag points to now, or undefined when the registry has no such tag. */
export async function manifestDigest(
  http: RegistryHttp,
  path: string,
  tag: string,
): Promise<string | undefined> {
  const url = `/v2/${path}/manifests/${encodeURIComponent(tag)}`;
  const head = await http.request(url, pullScope(path), {
    method: "HEAD",
    headers: { accept: MANIFEST_TYPES },
  });
  if (head.status === 404) return undefined;
  const digest = head.headers.get("docker-content-digest");
  if (head.ok && digest) return digest;
  // Some registries omit the header on HEAD: the digest is the hash of the manifest's bytes.
  const get = await http.request(url, pullScope(path), { headers: { accept: MANIFEST_TYPES } });
  if (get.status === 404) return undefined;
  if (!get.ok) {
    throw new ModelboxDevError(
      "REGISTRY_ERROR",
      `Reading ${path}:${tag} on ${http.displayName} failed: ${await registryErrorMessage(get)}.`,
      "Try again later, or use another registry (--registry).",
    );
  }
  const bytes = Buffer.from(await get.arrayBuffer());
  return (
    get.headers.get("docker-content-digest") ??
    `sha256:${createHash("sha256").update(bytes).digest("hex")}`
  );
}
