import type { IncomingMessage } from "node:http";
import type Docker from "dockerode";
import type { EngineVersion } from "../types.js";

/** What the engine's /_ping answers in its headers: its API version, its name and version. */
export interface PingReport extends EngineVersion {
  kind: "docker" | "podman";
}

/**
 * The engine's version from /_ping's headers (Api-Version since API 1.25; `Server:
 * Docker/20.10.24 (linux)` or `Libpod/4.3.1 (linux)`; Podman adds Libpod-Api-Version). dockerd
 * answers /version by running runc and docker-init for their versions, ~30 ms, which /info does
 * as well: a plan waited on both. Undefined when the headers do not say (an engine older than
 * API 1.25, a proxy that drops them): ask /version then.
 */
export function versionFromPingHeaders(
  headers: IncomingMessage["headers"],
): PingReport | undefined {
  const apiVersion = header(headers["api-version"]);
  const server = /^(Docker|Libpod)\/(\S+)(?:\s+\(([^)]+)\))?/i.exec(header(headers.server) ?? "");
  if (!apiVersion || !server) return undefined;
  const podman = header(headers["libpod-api-version"]) !== undefined || /libpod/i.test(server[1]!);
  return {
    kind: podman ? "podman" : "docker",
    version: server[2]!,
    apiVersion,
    ...(server[3] ? { os: server[3] } : {}),
  };
}

function header(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}

/** GET /_ping through dockerode's connection (TLS, ssh transport alike), for its headers. */
export function pingHeaders(docker: Docker): Promise<IncomingMessage["headers"]> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: "/_ping",
        method: "GET",
        isStream: true,
        statusCodes: { 200: true, 500: "server error" },
      },
      (err: Error | null, res: unknown) => {
        if (err) return reject(err);
        const response = res as IncomingMessage;
        response.resume(); // the body is "OK": let the socket go
        resolve(response.headers);
      },
    );
  });
}
