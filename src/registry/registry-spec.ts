import { ModelboxDevError } from "../errors.js";
import { checkNoControl } from "../input-text.js";
import { parseImageReference } from "../catalog/image-reference.js";

/**
 * Where ModelBox images can be pulled from: a registry host and the namespace that holds the
 * `modelbox-*` repositories. `docker.io/modelbox` is Docker Hub; a mirror is any other.
 */
export interface RegistrySpec {
  /** host[:port] as Docker names it ("docker.io" for Docker Hub, whatever alias was written). */
  host: string;
  /** Path under which the ModelBox repositories live, e.g. "modelbox" or "team/modelbox". */
  namespace: string;
  /** How the Registry HTTP API is reached (plain HTTP only when asked, or on loopback). */
  scheme: "https" | "http";
}

export const DOCKER_HUB = "docker.io";
export { DEFAULT_NAMESPACE } from "../catalog/image-argument.js";
import { DEFAULT_NAMESPACE } from "../catalog/image-argument.js";
import { isDockerHub } from "../catalog/hub-name.js";
export const DEFAULT_REGISTRY: RegistrySpec = {
  host: DOCKER_HUB,
  namespace: DEFAULT_NAMESPACE,
  scheme: "https",
};

export { isDockerHub };

/** Docker lets any 127.0.0.0/8 or ::1 registry speak plain HTTP; so do we. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.split(":")[0];
  return name === "localhost" || name === "::1" || /^127(?:\.\d{1,3}){3}$/.test(name ?? "");
}

const FORMAT_HINT =
  "Write it as HOST[:PORT][/NAMESPACE], e.g. swr.cn-north-4.myhuaweicloud.com/modelbox or " +
  "registry.example.com:5000/mirror/modelbox (prefix http:// for a registry without TLS).";

/** Parses `--registry` / config values: `[http[s]://]host[:port][/namespace]`. */
export function parseRegistrySpec(text: string): RegistrySpec {
  const invalid = (problem: string) =>
    new ModelboxDevError("INVALID_OPTION", `Invalid registry "${text}": ${problem}.`, FORMAT_HINT);
  checkNoControl(text, "Registry", "INVALID_OPTION");
  let rest = text.trim();
  let scheme: "https" | "http" | undefined;
  const schemeMatch = /^(https?):\/\//i.exec(rest);
  if (schemeMatch) {
    scheme = schemeMatch[1]?.toLowerCase() === "http" ? "http" : "https";
    rest = rest.slice(schemeMatch[0].length);
  }
  rest = rest.replace(/\/+$/, "");
  if (rest === "") throw invalid("it is empty");
  const slash = rest.indexOf("/");
  const host = slash >= 0 ? rest.slice(0, slash) : rest;
  const namespace = slash >= 0 ? rest.slice(slash + 1) : DEFAULT_NAMESPACE;
  if (!host.includes(".") && !host.includes(":") && host !== "localhost") {
    // Docker would read a dotless first component as a Hub user, not a host.
    throw invalid(`"${host}" does not look like a registry host (no dot or port)`);
  }
  // Reuse the image-reference grammar: host and namespace must make a valid repository.
  try {
    parseImageReference(`${host}/${namespace}/x`);
  } catch {
    throw invalid("the host or the namespace is not valid in an image name");
  }
  const hub = isDockerHub(host);
  return {
    host: hub ? DOCKER_HUB : host,
    namespace,
    scheme: scheme ?? (isLoopbackHost(host) ? "http" : "https"),
  };
}

/** The spec as a user writes it; the scheme only when it is not the default for the host. */
export function formatRegistrySpec(spec: RegistrySpec): string {
  const defaultScheme = isLoopbackHost(spec.host) ? "http" : "https";
  const prefix = spec.scheme === defaultScheme ? "" : `${spec.scheme}://`;
  return `${prefix}${spec.host}/${spec.namespace}`;
}

/** Base URL of the registry's HTTP API (Docker Hub serves it from registry-1.docker.io). */
export function apiBaseUrl(spec: Pick<RegistrySpec, "host" | "scheme">): string {
  const host = isDockerHub(spec.host) ? "registry-1.docker.io" : spec.host;
  return `${spec.scheme}://${host}`;
}
