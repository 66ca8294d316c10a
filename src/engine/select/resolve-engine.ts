import { join } from "node:path";
import { ModelboxDevError } from "../../errors.js";
import {
  DEFAULT_CONTEXT,
  type DockerConfigStore,
  type ListDir,
  type ReadText,
  currentContextName,
  readContext,
} from "./docker-contexts.js";
import { type EngineEndpoint, type TlsFiles, parseHostUrl } from "./endpoint.js";

/** The engine flags every command takes, as the docker CLI spells them. */
export interface EngineFlags {
  host?: string;
  context?: string;
}

/** The world the resolver reads, injected so that tests hand in an environment and files. */
export interface EngineWorld {
  env: Record<string, string | undefined>;
  homeDir: string;
  readText: ReadText;
  listDir: ListDir;
}

/** Where the choice came from, as `doctor` reports it. */
export type EngineSource = "flag" | "env" | "context" | "default";

export interface EngineCandidate {
  endpoint: EngineEndpoint;
  /** In words: "--host", "DOCKER_HOST", "Podman's rootful socket", ... */
  via: string;
}

export interface EngineSelection extends EngineCandidate {
  source: EngineSource;
  /** The Docker context this engine belongs to ("default" for DOCKER_HOST and the sockets). */
  context: string;
  /**
   * Only when nothing chose an engine: further sockets to try, in order, when the default Docker
   * socket does not answer (CONTAINER_HOST, then Podman's rootful and rootless sockets).
   */
  fallbacks: EngineCandidate[];
}

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";
export const PODMAN_ROOTFUL_SOCKET = "/run/podman/podman.sock";

export function dockerConfigStore(world: EngineWorld): DockerConfigStore {
  return {
    dir: world.env.DOCKER_CONFIG || join(world.homeDir, ".docker"),
    readText: world.readText,
    listDir: world.listDir,
  };
}

/**
 * TLS for --host / DOCKER_HOST as the docker CLI reads it: DOCKER_TLS_VERIFY (any non-empty
 * value) verifies, DOCKER_TLS only encrypts; certificates from DOCKER_CERT_PATH, else the
 * configuration directory, those of ca.pem / cert.pem / key.pem that exist there.
 */
function tlsFromEnv(world: EngineWorld, store: DockerConfigStore): TlsFiles | undefined {
  const verify = Boolean(world.env.DOCKER_TLS_VERIFY);
  if (!verify && !world.env.DOCKER_TLS) return undefined;
  const dir = world.env.DOCKER_CERT_PATH || store.dir;
  const present = new Set(world.listDir(dir));
  const file = (name: "ca" | "cert" | "key") =>
    present.has(`${name}.pem`) ? { [name]: join(dir, `${name}.pem`) } : {};
  return { verify, ...file("ca"), ...file("cert"), ...file("key") };
}

function namedContext(
  store: DockerConfigStore,
  name: string,
  via: string,
  source: EngineSource,
): EngineSelection {
  const context = readContext(store, name);
  if (!context) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `There is no Docker context named ${JSON.stringify(name)} (chosen by ${via}).`,
      "List the contexts with 'docker context ls'; create one with 'docker context create NAME --docker host=ssh://user@server'.",
    );
  }
  return {
    endpoint: context.endpoint,
    via: `context "${name}" (${via})`,
    source,
    context: name,
    fallbacks: [],
  };
}

/** What the "default" context means: DOCKER_HOST, else the local sockets in order. */
function defaultContext(
  world: EngineWorld,
  store: DockerConfigStore,
  via?: string,
): EngineSelection {
  const dockerHost = world.env.DOCKER_HOST;
  if (dockerHost) {
    return {
      endpoint: parseHostUrl(dockerHost, tlsFromEnv(world, store)),
      via: via ?? "DOCKER_HOST",
      source: "env",
      context: DEFAULT_CONTEXT,
      fallbacks: [],
    };
  }
  return {
    endpoint: { transport: "unix", socketPath: DEFAULT_DOCKER_SOCKET },
    via: via ?? "the default Docker socket",
    source: "default",
    context: DEFAULT_CONTEXT,
    fallbacks: podmanCandidates(world),
  };
}

/** Where Podman listens when nothing says otherwise, after an explicit CONTAINER_HOST. */
export function podmanCandidates(world: EngineWorld): EngineCandidate[] {
  const out: EngineCandidate[] = [];
  if (world.env.CONTAINER_HOST) {
    out.push({ endpoint: parseHostUrl(world.env.CONTAINER_HOST), via: "CONTAINER_HOST" });
  }
  out.push({
    endpoint: { transport: "unix", socketPath: PODMAN_ROOTFUL_SOCKET },
    via: "Podman's rootful socket",
  });
  if (world.env.XDG_RUNTIME_DIR) {
    out.push({
      endpoint: {
        transport: "unix",
        socketPath: join(world.env.XDG_RUNTIME_DIR, "podman", "podman.sock"),
      },
      via: "Podman's rootless socket",
    });
  }
  return out;
}

/**
 * Which engine to talk to, decided as the docker CLI decides it: --context, then --host
 * (both at once is an error), DOCKER_HOST, DOCKER_CONTEXT, the current context of config.json,
 * and last the default socket (with Podman's sockets behind it). Pure: reads only `world`.
 */
export function resolveEngine(flags: EngineFlags, world: EngineWorld): EngineSelection {
  const store = dockerConfigStore(world);
  if (flags.context && flags.host) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "Both --host and --context were given.",
      "Give one of them: --host names an engine address, --context a Docker context.",
    );
  }
  if (flags.context) {
    return flags.context === DEFAULT_CONTEXT
      ? { ...defaultContext(world, store, "--context default"), source: "flag" }
      : namedContext(store, flags.context, "--context", "flag");
  }
  if (flags.host) {
    return {
      endpoint: parseHostUrl(flags.host, tlsFromEnv(world, store)),
      via: "--host",
      source: "flag",
      context: DEFAULT_CONTEXT,
      fallbacks: [],
    };
  }
  if (world.env.DOCKER_HOST) return defaultContext(world, store);
  const envContext = world.env.DOCKER_CONTEXT;
  if (envContext) {
    return envContext === DEFAULT_CONTEXT
      ? defaultContext(world, store, "DOCKER_CONTEXT=default")
      : namedContext(store, envContext, "DOCKER_CONTEXT", "env");
  }
  const current = currentContextName(store);
  if (current && current !== DEFAULT_CONTEXT) {
    return namedContext(store, current, "current context in config.json", "context");
  }
  return defaultContext(world, store);
}
