import { join } from "node:path";
import { ModelboxDevError } from "../../errors.js";
import { sha256Hex } from "../../crypto-on-demand.js";
import { type EngineEndpoint, type TlsFiles, parseHostUrl } from "./endpoint.js";
import { byName } from "../../name-order.js";

/** Reads a file's text, or undefined when it does not exist (injected: tests hand in a map). */
export type ReadText = (path: string) => string | undefined;
/** Lists a directory's entries, or [] when it does not exist. */
export type ListDir = (path: string) => string[];

export interface DockerConfigStore {
  /** The docker CLI's configuration directory: DOCKER_CONFIG, else ~/.docker. */
  dir: string;
  readText: ReadText;
  listDir: ListDir;
}

export interface DockerContext {
  name: string;
  description?: string;
  endpoint: EngineEndpoint;
}

/** The name the docker CLI gives the context of DOCKER_HOST / the default socket. */
export const DEFAULT_CONTEXT = "default";

/** The docker CLI keeps a context under the SHA-256 of its name (names may hold any character). */
export function contextDirName(name: string): string {
  return sha256Hex(name);
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ModelboxDevError(
      "INVALID_CONFIG",
      `${path} is not valid JSON.`,
      "Fix or remove the file; 'docker context ls' reads the same file.",
    );
  }
}

/** `currentContext` from config.json, as `docker context use` writes it. */
export function currentContextName(store: DockerConfigStore): string | undefined {
  const path = join(store.dir, "config.json");
  const text = store.readText(path);
  if (text === undefined) return undefined;
  const config = parseJson(text, path) as { currentContext?: unknown } | null;
  const name = config?.currentContext;
  return typeof name === "string" && name !== "" ? name : undefined;
}

interface ContextMeta {
  Name?: string;
  Metadata?: { Description?: string };
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

/** TLS files of a context: contexts/tls/<hash>/docker/{ca,cert,key}.pem, those that exist. */
function contextTls(
  store: DockerConfigStore,
  hash: string,
  skipVerify: boolean,
): TlsFiles | undefined {
  const dir = join(store.dir, "contexts", "tls", hash, "docker");
  const present = new Set(store.listDir(dir));
  if (present.size === 0) return undefined;
  const file = (name: string) =>
    present.has(name) ? { [name.replace(".pem", "")]: join(dir, name) } : {};
  return { verify: !skipVerify, ...file("ca.pem"), ...file("cert.pem"), ...file("key.pem") };
}

/** One context from the store, or undefined when no such context is there. */
export function readContext(store: DockerConfigStore, name: string): DockerContext | undefined {
  const hash = contextDirName(name);
  const path = join(store.dir, "contexts", "meta", hash, "meta.json");
  const text = store.readText(path);
  if (text === undefined) return undefined;
  return contextFromMeta(store, hash, parseJson(text, path) as ContextMeta, path);
}

function contextFromMeta(
  store: DockerConfigStore,
  hash: string,
  meta: ContextMeta,
  path: string,
): DockerContext {
  const name = meta.Name ?? hash;
  const docker = meta.Endpoints?.docker;
  if (!docker?.Host) {
    throw new ModelboxDevError(
      "INVALID_CONFIG",
      `Docker context ${JSON.stringify(name)} has no Docker endpoint (${path}).`,
      `Give it one: docker context update ${name} --docker host=ssh://user@server`,
    );
  }
  const tls = contextTls(store, hash, docker.SkipTLSVerify === true);
  return {
    name,
    ...(meta.Metadata?.Description ? { description: meta.Metadata.Description } : {}),
    endpoint: parseHostUrl(docker.Host, tls),
  };
}

/** Every context in the store (not the implicit "default"), sorted by name. */
export function listContexts(store: DockerConfigStore): DockerContext[] {
  const metaDir = join(store.dir, "contexts", "meta");
  const contexts: DockerContext[] = [];
  for (const hash of store.listDir(metaDir)) {
    const path = join(metaDir, hash, "meta.json");
    const text = store.readText(path);
    if (text === undefined) continue;
    contexts.push(contextFromMeta(store, hash, parseJson(text, path) as ContextMeta, path));
  }
  return contexts.sort((a, b) => byName(a.name, b.name));
}
