import { readFileSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import type { EngineConnection } from "../types.js";
import { formatEndpoint, remoteHostOf } from "./endpoint.js";
import {
  type EngineCandidate,
  type EngineFlags,
  type EngineSelection,
  type EngineWorld,
  resolveEngine,
} from "./resolve-engine.js";

/** This process' environment and the real files of the docker CLI's configuration. */
export function processWorld(env: NodeJS.ProcessEnv = process.env): EngineWorld {
  return {
    env,
    homeDir: env.HOME || homedir(),
    readText: (path) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    listDir: (path) => {
      try {
        return readdirSync(path);
      } catch {
        return [];
      }
    },
  };
}

export type IsSocket = (path: string) => boolean;

const socketExists: IsSocket = (path) => {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
};

/**
 * The candidate to use: the selection itself unless it is the default Docker socket and that
 * socket is not there; then the first Podman socket (or CONTAINER_HOST) that is. With none
 * there, the default socket stays, so the error names the engine most users expect.
 */
export function chooseCandidate(
  selection: EngineSelection,
  isSocket: IsSocket = socketExists,
): EngineCandidate {
  const present = (c: EngineCandidate) =>
    c.endpoint.transport !== "unix" || isSocket(c.endpoint.socketPath);
  if (selection.fallbacks.length === 0 || present(selection)) return selection;
  return selection.fallbacks.find(present) ?? selection;
}

export function connectionOf(
  selection: EngineSelection,
  chosen: EngineCandidate = selection,
): EngineConnection {
  const remoteHost = remoteHostOf(chosen.endpoint);
  return {
    url: formatEndpoint(chosen.endpoint),
    transport: chosen.endpoint.transport,
    source: selection.source,
    via: chosen.via,
    context: selection.context,
    ...(remoteHost ? { remoteHost } : {}),
  };
}

/** What a DockerEngine needs: where to connect, and how that was decided. */
export interface EngineTarget {
  endpoint: EngineCandidate["endpoint"];
  connection: EngineConnection;
}

/** The engine the docker CLI would talk to with these flags, in this world. */
export function engineTarget(
  flags: EngineFlags = {},
  world: EngineWorld = processWorld(),
): EngineTarget {
  const selection = resolveEngine(flags, world);
  const chosen = chooseCandidate(selection);
  return { endpoint: chosen.endpoint, connection: connectionOf(selection, chosen) };
}
