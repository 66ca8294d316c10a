import { ModelboxDevError } from "../../errors.js";

/** TLS material for a tcp:// engine, as file paths (read when the connection is made). */
export interface TlsFiles {
  /** Verify the daemon's certificate against `ca` (DOCKER_TLS_VERIFY, or a context's setting). */
  verify: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

/** How to reach one engine: a local socket, TCP (maybe TLS), or an SSH login that dials it. */
export type EngineEndpoint =
  | { transport: "unix"; socketPath: string }
  | { transport: "tcp"; host: string; port: number; tls?: TlsFiles }
  | {
      transport: "ssh";
      host: string;
      user?: string;
      port?: number;
      /** Remote socket path (Podman's ssh:// form); the docker CLI's form has none. */
      socketPath?: string;
    };

function invalidHost(url: string, why: string): ModelboxDevError {
  return new ModelboxDevError(
    "INVALID_OPTION",
    `The engine address ${JSON.stringify(url)} ${why}.`,
    "Use unix:///path/to/docker.sock, tcp://host:2375 (2376 with TLS) or ssh://user@host[:port], as with 'docker --host'.",
  );
}

/**
 * Reads an engine address as the docker CLI does: unix://, tcp:// (a bare host:port too),
 * ssh://[user@]host[:port]. Port 2376 or TLS files mean TLS, as with dockerd's convention.
 */
export function parseHostUrl(url: string, tls?: TlsFiles): EngineEndpoint {
  const text = url.trim();
  if (text === "") throw invalidHost(url, "is empty");
  if (text.startsWith("unix://")) {
    const socketPath = text.slice("unix://".length);
    if (!socketPath.startsWith("/")) throw invalidHost(url, "has no absolute socket path");
    return { transport: "unix", socketPath };
  }
  if (text.startsWith("npipe://")) {
    throw invalidHost(url, "is a Windows named pipe, which this tool does not support");
  }
  let parsed: URL;
  try {
    parsed = new URL(text.includes("://") ? text : `tcp://${text}`);
  } catch {
    throw invalidHost(url, "is not a valid address");
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw invalidHost(url, "names no host");
  const port = parsed.port === "" ? undefined : Number(parsed.port);
  switch (parsed.protocol) {
    case "tcp:":
    case "http:":
    case "https:": {
      if (parsed.pathname !== "" && parsed.pathname !== "/")
        throw invalidHost(url, "has a path, which tcp:// addresses cannot have");
      const secure = parsed.protocol === "https:" || tls !== undefined || port === 2376;
      return {
        transport: "tcp",
        host,
        port: port ?? (secure ? 2376 : 2375),
        ...(secure ? { tls: tls ?? { verify: false } } : {}),
      };
    }
    case "ssh:": {
      const user = decodeURIComponent(parsed.username);
      const socketPath = parsed.pathname === "" || parsed.pathname === "/" ? "" : parsed.pathname;
      return {
        transport: "ssh",
        host,
        ...(user ? { user } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(socketPath ? { socketPath } : {}),
      };
    }
    default:
      throw invalidHost(url, `uses ${parsed.protocol.replace(/:$/, "")}://, which is not known`);
  }
}

/** The address in the form a user typed it (no TLS details). */
export function formatEndpoint(endpoint: EngineEndpoint): string {
  switch (endpoint.transport) {
    case "unix":
      return `unix://${endpoint.socketPath}`;
    case "tcp":
      return `tcp://${hostPart(endpoint.host)}:${endpoint.port}`;
    case "ssh":
      return `ssh://${endpoint.user ? `${endpoint.user}@` : ""}${hostPart(endpoint.host)}${
        endpoint.port !== undefined ? `:${endpoint.port}` : ""
      }${endpoint.socketPath ?? ""}`;
  }
}

function hostPart(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * The engine's host as seen from here: the name to print in ssh commands and editor URLs when
 * the engine is elsewhere. Undefined for a local socket (the engine runs on this machine).
 */
export function remoteHostOf(endpoint: EngineEndpoint): string | undefined {
  if (endpoint.transport === "unix") return undefined;
  return isLoopbackName(endpoint.host) && endpoint.transport === "tcp" ? undefined : endpoint.host;
}

function isLoopbackName(host: string): boolean {
  return host === "localhost" || host === "127.0.0.1" || host === "::1";
}
