import { ModelboxDevError } from "../errors.js";

export type PullFailureKind =
  "not-found" | "auth" | "unreachable" | "disk-full" | "rate-limited" | "other";

// The daemon's sentences (Docker 20.10 against distribution 2.8 and Docker Hub; see
// test/fixtures/registry/pull-errors.json). Order matters: Hub's "pull access denied …
// repository does not exist" is a not-found that mentions access.
const PATTERNS: Array<[PullFailureKind, RegExp]> = [
  ["disk-full", /no space left on device/i],
  ["rate-limited", /toomanyrequests|rate limit/i],
  [
    "not-found",
    /manifest unknown|name unknown|not found|repository does not exist|no such image|manifest for .* not found/i,
  ],
  ["auth", /unauthorized|authentication required|no basic auth credentials|denied|forbidden/i],
  [
    "unreachable",
    /dial tcp|connection refused|no such host|i\/o timeout|timeout exceeded|Client\.Timeout|TLS handshake|network is unreachable|connection reset|HTTP response to HTTPS client|x509|certificate|\bEOF\b/i,
  ],
];

export function pullFailureKind(message: string): PullFailureKind {
  return PATTERNS.find(([, pattern]) => pattern.test(message))?.[0] ?? "other";
}

/** The last clause of a Go error chain: "… dial tcp 127.0.0.1:1: connect: connection refused". */
function rootCause(message: string): string {
  const parts = message.trim().split(": ");
  return parts[parts.length - 1]?.trim() || message.trim();
}

export interface PullErrorContext {
  /** The image asked for (its own name, whichever registry was asked). */
  image: string;
  /** The registry as the user names it, e.g. "docker.io/modelbox". */
  registry: string;
  /** Registry host, for `docker login`. */
  host: string;
  /** The image's name without tag, for `images --tags`. */
  name: string;
}

/** The engine's pull error as a sentence and a hint the user can act on. */
export function pullError(
  message: string,
  ctx: PullErrorContext,
  cause?: unknown,
): ModelboxDevError {
  const options = { cause, details: [`  engine: ${message}`] };
  switch (pullFailureKind(message)) {
    case "not-found":
      return new ModelboxDevError(
        "IMAGE_NOT_FOUND",
        `${ctx.image} was not found on ${ctx.registry}.`,
        `Check the name and tag: 'modelbox-dev images --tags ${ctx.name}' lists the tags the registry has. A private repository also looks like this until you 'docker login ${ctx.host}'.`,
        options,
      );
    case "auth":
      return new ModelboxDevError(
        "REGISTRY_AUTH",
        `${ctx.registry} refused to serve ${ctx.image} (${rootCause(message)}).`,
        `Log in with 'docker login ${ctx.host}': modelbox-dev uses the credentials in your Docker config.`,
        options,
      );
    case "unreachable": {
      const plainHttp = /HTTP response to HTTPS client/i.test(message);
      return new ModelboxDevError(
        "REGISTRY_UNREACHABLE",
        `Cannot reach the registry ${ctx.registry} (${rootCause(message)}).`,
        plainHttp
          ? `The registry speaks plain HTTP: add "${ctx.host}" to "insecure-registries" in /etc/docker/daemon.json and restart dockerd.`
          : "Check the network, or use a mirror that is reachable from here: --registry HOST/NAMESPACE, or \"registries\" in ~/.modelbox-dev/config.json (README: 'Private mirror').",
        options,
      );
    }
    case "rate-limited":
      return new ModelboxDevError(
        "REGISTRY_ERROR",
        `${ctx.registry} refused more pulls for now (rate limit).`,
        `Log in ('docker login ${ctx.host}': logged-in users get a higher limit), or use a mirror: --registry HOST/NAMESPACE.`,
        options,
      );
    case "disk-full":
      return new ModelboxDevError(
        "DISK_FULL",
        `The engine ran out of disk space while pulling ${ctx.image}.`,
        "Free space in the engine's data root ('docker system prune' removes unused images and containers), then try again.",
        options,
      );
    default:
      return new ModelboxDevError(
        "PULL_FAILED",
        `Pulling ${ctx.image} from ${ctx.registry} failed: ${message}`,
        "Try again, or another registry (--registry HOST/NAMESPACE).",
        options,
      );
  }
}
