import type { IncomingMessage } from "node:http";
import type { ArchiveOptions, ContainerArchive, ContainerPathStat } from "../types.js";
import type { DockerClient } from "./client.js";
import { statusCodeOf } from "./engine-errors.js";
import { decodePathStat } from "./path-stat.js";

/**
 * The Engine API's archive endpoints (what `docker cp` uses): HEAD for a path's stat, GET for a
 * tar of it, PUT to unpack a tar into a directory. They work on stopped containers too.
 */

const STAT_HEADER = "x-docker-container-path-stat";

const signalOption = (options: ArchiveOptions) =>
  options.signal ? { abortSignal: options.signal } : {};

export async function statPath(
  client: DockerClient,
  id: string,
  path: string,
): Promise<ContainerPathStat | undefined> {
  try {
    const res = (await client.call(() =>
      client.docker.getContainer(id).infoArchive({ path }),
    )) as IncomingMessage;
    res.resume(); // a HEAD answer has no body; let the socket go
    return decodePathStat(res.headers[STAT_HEADER]);
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function getArchive(
  client: DockerClient,
  id: string,
  path: string,
  options: ArchiveOptions = {},
): Promise<ContainerArchive | undefined> {
  try {
    const res = (await client.call(() =>
      client.docker.getContainer(id).getArchive({ path, ...signalOption(options) }),
    )) as IncomingMessage;
    return { stat: decodePathStat(res.headers[STAT_HEADER]), tar: res };
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function putArchive(
  client: DockerClient,
  id: string,
  directory: string,
  tar: NodeJS.ReadableStream,
  options: ArchiveOptions = {},
): Promise<void> {
  try {
    await client.call(() =>
      client.docker.getContainer(id).putArchive(tar, {
        path: directory,
        // As `docker cp`: never replace a directory with a file, or a file with a directory.
        noOverwriteDirNonDir: true,
        ...signalOption(options),
      }),
    );
  } finally {
    // The engine may answer (an error) before reading the whole tar: stop producing it.
    const source = tar as NodeJS.ReadableStream & { readableEnded?: boolean; destroy?: () => void };
    if (!source.readableEnded) source.destroy?.();
  }
}
