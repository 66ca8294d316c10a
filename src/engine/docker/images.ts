import {
  type ImageDetails,
  type ImageSummary,
  type PullOptions,
  type PullProgressEvent,
  EngineCallError,
} from "../types.js";
import type { DockerClient } from "./client.js";
import { statusCodeOf } from "./engine-errors.js";
import { familiarImageName, toAuthConfig, toImageDetails } from "./mappers.js";

/** Images: inspect, list, pull (with progress and cancellation), tag, save and load. */

export async function listImages(client: DockerClient): Promise<ImageSummary[]> {
  const list = await client.call(() => client.docker.listImages());
  return list.map((i) => ({
    id: i.Id,
    repoTags: (i.RepoTags ?? []).filter((t) => t !== "<none>:<none>").map(familiarImageName),
    sizeBytes: i.Size,
  }));
}

export async function inspectImage(
  client: DockerClient,
  ref: string,
): Promise<ImageDetails | undefined> {
  try {
    return toImageDetails(await client.call(() => client.docker.getImage(ref).inspect()));
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function pullImage(
  client: DockerClient,
  ref: string,
  onProgress?: (event: PullProgressEvent) => void,
  options: PullOptions = {},
): Promise<void> {
  const { signal, auth } = options;
  const stream = (await client.call(() =>
    client.docker.pull(ref, {
      ...(auth ? { authconfig: toAuthConfig(auth) } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    }),
  )) as NodeJS.ReadableStream & { destroy?: () => void };
  await new Promise<void>((resolve, reject) => {
    // Closing the request is how a pull is cancelled: the engine stops when its client goes.
    const abort = () => {
      stream.destroy?.();
      reject(new EngineCallError("The pull was cancelled."));
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener("abort", abort, { once: true });
    client.docker.modem.followProgress(
      stream,
      (err: Error | null, output: Array<{ error?: string }>) => {
        signal?.removeEventListener("abort", abort);
        if (err) return reject(client.wrap(err));
        // A pull can end "successfully" at the HTTP level with an error event in the stream.
        const failed = output.find((o) => o.error);
        if (failed?.error) return reject(new EngineCallError(failed.error));
        resolve();
      },
      (event: {
        id?: string;
        status?: string;
        progressDetail?: { current?: number; total?: number };
      }) => {
        onProgress?.({
          id: event.id,
          status: event.status ?? "",
          current: event.progressDetail?.current,
          total: event.progressDetail?.total,
        });
      },
    );
  });
}

export async function tagImage(client: DockerClient, source: string, target: string) {
  // The tag follows the last ':' after the last '/' (a ':' before it is a registry port).
  const colon = target.lastIndexOf(":");
  const hasTag = colon > target.lastIndexOf("/");
  const repo = hasTag ? target.slice(0, colon) : target;
  const tag = hasTag ? target.slice(colon + 1) : "latest";
  await client.call(() => client.docker.getImage(source).tag({ repo, tag }));
}

export function saveImage(
  client: DockerClient,
  refs: string[],
  signal?: AbortSignal,
): Promise<NodeJS.ReadableStream> {
  // GET /images/get?names=… (dockerode's getImages, which its typings leave out).
  const docker = client.docker as unknown as {
    getImages(opts: { names: string[]; abortSignal?: AbortSignal }): Promise<NodeJS.ReadableStream>;
  };
  return client.call(() =>
    docker.getImages({ names: refs, ...(signal ? { abortSignal: signal } : {}) }),
  );
}

export async function loadImage(
  client: DockerClient,
  tar: NodeJS.ReadableStream,
  signal?: AbortSignal,
): Promise<string[]> {
  const stream = await client.call(() =>
    client.docker.loadImage(tar, { quiet: true, ...(signal ? { abortSignal: signal } : {}) }),
  );
  const output = await new Promise<Array<{ stream?: string; error?: string }>>(
    (resolve, reject) => {
      client.docker.modem.followProgress(
        stream,
        (err: Error | null, out: Array<{ stream?: string; error?: string }>) =>
          err ? reject(client.wrap(err)) : resolve(out),
      );
    },
  );
  const failed = output.find((o) => o.error);
  if (failed?.error) throw new EngineCallError(failed.error);
  // "Loaded image: repo:tag" per name; "Loaded image ID: sha256:…" for an unnamed image.
  return output.flatMap((o) => {
    const m = /^Loaded image(?: ID)?: (\S+)/.exec(o.stream ?? "");
    return m?.[1] ? [m[1]] : [];
  });
}
