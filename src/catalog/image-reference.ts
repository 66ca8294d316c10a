import { ModelboxDevError } from "../errors.js";
import { checkNoControl } from "../input-text.js";

/**
 * A container image reference split the way Docker (distribution/reference) splits it.
 * `registry` is kept exactly as written and never defaulted to docker.io, so a normalised
 * Hub reference reads like the REPOSITORY:TAG that `docker images` shows.
 */
export interface ImageReference {
  /** host[:port], e.g. "swr.cn-north-4.myhuaweicloud.com" or "localhost:5000". */
  registry?: string;
  /** Slash-separated repository path, e.g. "modelbox/modelbox-develop-...-ubuntu-x86_64". */
  path: string;
  tag?: string;
  /** "sha256:<64 lowercase hex>". */
  digest?: string;
}

const EXAMPLE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
const GRAMMAR_HINT =
  `Use [registry[:port]/]path[:tag][@sha256:<64 hex>], e.g. ${EXAMPLE} ` +
  "or registry.example.com:5000/modelbox/<name>:latest.";

// Docker's grammar pieces (distribution/reference regexp.go).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DOMAIN_NAME =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*$/;
const IPV6_HOST = /^\[[0-9a-fA-F:.]+\]$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MAX_NAME_LENGTH = 255;

export function parseImageReference(text: string): ImageReference {
  const invalid = (problem: string, hint = GRAMMAR_HINT) =>
    new ModelboxDevError("INVALID_IMAGE", `Invalid image reference "${text}": ${problem}.`, hint);

  if (text.length === 0) throw invalid("it is empty");
  checkNoControl(text, "Image reference", "INVALID_IMAGE");
  if (/\s/.test(text)) {
    throw invalid(
      "it contains whitespace",
      /^(docker|podman)\s+pull\s/.test(text.trim())
        ? `Pass only the image reference, without "docker pull", e.g. ${EXAMPLE}.`
        : GRAMMAR_HINT,
    );
  }
  if (text.includes("://")) {
    throw invalid(
      "image references have no URL scheme",
      `Drop the "http(s)://" prefix. ${GRAMMAR_HINT}`,
    );
  }

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw invalid(
        `digest "${digest}" is not sha256:<64 lowercase hex digits>`,
        "Copy the digest from `docker images --digests` or the registry, e.g. @sha256:3f5c…(64 hex digits).",
      );
    }
  }

  // The tag starts at the first ":" after the last "/": a ":" before that is a registry port.
  let tag: string | undefined;
  const colon = rest.indexOf(":", rest.lastIndexOf("/") + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === "")
      throw invalid(
        "the tag after ':' is empty",
        "Write a tag such as :latest, or leave out the ':'.",
      );
    if (tag.startsWith(":"))
      throw invalid("'::' is not allowed", "A tag follows a single ':', e.g. :latest.");
    if (!TAG.test(tag)) {
      throw invalid(
        `tag "${tag}" is invalid`,
        "A tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-' (e.g. latest, v1.5.3).",
      );
    }
  }

  if (rest === "") throw invalid("the repository name is missing");

  let registry: string | undefined;
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  // Docker's rule: the first component names a registry only if it looks like a host.
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    rest = rest.slice(slash + 1);
    checkRegistry(registry, invalid);
  }

  const components = rest.split("/");
  for (const component of components) {
    if (component === "") {
      throw invalid("it has an empty path component (a leading, trailing or doubled '/')");
    }
    if (/[A-Z]/.test(component) && PATH_COMPONENT.test(component.toLowerCase())) {
      // Docker would read an uppercase first component as a registry host; nobody means that.
      throw invalid(
        `repository names must be lowercase ("${component}")`,
        `Write it in lowercase: ${formatImageReference({ registry, path: rest.toLowerCase(), tag, digest })}.`,
      );
    }
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(
        `path component "${component}" is invalid`,
        "Path components hold lowercase letters and digits, separated by one '.', one or two '_', or '-' runs.",
      );
    }
  }

  const name = registry === undefined ? rest : `${registry}/${rest}`;
  if (name.length > MAX_NAME_LENGTH) {
    throw invalid(`the name is ${name.length} characters long; the limit is ${MAX_NAME_LENGTH}`);
  }

  const reference: ImageReference = { path: rest };
  if (registry !== undefined) reference.registry = registry;
  if (tag !== undefined) reference.tag = tag;
  if (digest !== undefined) reference.digest = digest;
  return reference;
}

function checkRegistry(
  registry: string,
  invalid: (problem: string, hint?: string) => ModelboxDevError,
): void {
  const portAt = registry.startsWith("[")
    ? registry.indexOf(":", registry.indexOf("]"))
    : registry.indexOf(":");
  const host = portAt >= 0 ? registry.slice(0, portAt) : registry;
  const port = portAt >= 0 ? registry.slice(portAt + 1) : undefined;
  if (!DOMAIN_NAME.test(host) && !IPV6_HOST.test(host)) {
    throw invalid(`registry host "${host}" is not a valid host name`);
  }
  if (port !== undefined && !/^\d+$/.test(port)) {
    throw invalid(
      `registry port "${port}" is not a number`,
      `Write the registry as host:port, e.g. registry.example.com:5000/modelbox/<name>.`,
    );
  }
}

export function formatImageReference(reference: ImageReference): string {
  const name =
    reference.registry === undefined ? reference.path : `${reference.registry}/${reference.path}`;
  const tag = reference.tag === undefined ? "" : `:${reference.tag}`;
  const digest = reference.digest === undefined ? "" : `@${reference.digest}`;
  return `${name}${tag}${digest}`;
}

/** The repository part only ([registry/]path), what `docker images` lists as REPOSITORY. */
export function imageRepository(reference: ImageReference): string {
  return formatImageReference({ registry: reference.registry, path: reference.path });
}

/**
 * Validated reference with `:latest` added when it names neither tag nor digest, as Docker
 * does when pulling. The registry stays as written (no docker.io/library/ is added).
 */
export function normalizeImageReference(text: string): string {
  const reference = parseImageReference(text);
  if (reference.tag === undefined && reference.digest === undefined) reference.tag = "latest";
  return formatImageReference(reference);
}
