import type {
  ContainerDetails,
  ContainerSpec,
  ContainerSummary,
  RestartPolicySpec,
} from "../types.js";
import type { DockerClient } from "./client.js";
import { statusCodeOf } from "./engine-errors.js";
import { demuxBuffer, toContainerDetails, toContainerSummary } from "./mappers.js";
import { toCreateOptions } from "./to-create-options.js";

/** Containers: create, start, stop, remove, inspect, list, and their logs. */

export async function createContainer(client: DockerClient, spec: ContainerSpec): Promise<string> {
  const container = await client.call(() => client.docker.createContainer(toCreateOptions(spec)));
  return container.id;
}

export async function startContainer(client: DockerClient, id: string): Promise<void> {
  try {
    await client.call(() => client.docker.getContainer(id).start());
  } catch (err) {
    // Someone else (another `up` of the same name) started it first: it runs, as asked.
    if (statusCodeOf(err) === 304) return;
    throw err;
  }
}

export async function updateRestartPolicy(
  client: DockerClient,
  id: string,
  policy: RestartPolicySpec,
): Promise<void> {
  await client.call(() =>
    client.docker.getContainer(id).update({
      RestartPolicy: { Name: policy.name, MaximumRetryCount: policy.maximumRetryCount ?? 0 },
    }),
  );
}

export async function renameContainer(
  client: DockerClient,
  id: string,
  name: string,
): Promise<void> {
  await client.call(() => client.docker.getContainer(id).rename({ name }));
}

export async function stopContainer(
  client: DockerClient,
  id: string,
  timeoutSeconds?: number,
): Promise<void> {
  try {
    await client.call(() =>
      client.docker
        .getContainer(id)
        .stop(timeoutSeconds === undefined ? {} : { t: timeoutSeconds }),
    );
  } catch (err) {
    if (statusCodeOf(err) === 304) return; // already stopped
    throw err;
  }
}

export async function removeContainer(
  client: DockerClient,
  id: string,
  options?: { force?: boolean },
): Promise<void> {
  try {
    await client.call(() =>
      client.docker.getContainer(id).remove({ force: options?.force ?? false, v: true }),
    );
  } catch (err) {
    if (statusCodeOf(err) === 404) return;
    throw err;
  }
}

export async function inspectContainer(
  client: DockerClient,
  idOrName: string,
): Promise<ContainerDetails | undefined> {
  try {
    return toContainerDetails(
      await client.call(() => client.docker.getContainer(idOrName).inspect()),
    );
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function listContainers(
  client: DockerClient,
  options: { all: boolean; labels?: string[] },
): Promise<ContainerSummary[]> {
  const filters = options.labels?.length ? { label: options.labels } : undefined;
  const list = await client.call(() =>
    client.docker.listContainers({ all: options.all, ...(filters ? { filters } : {}) }),
  );
  return list.map(toContainerSummary);
}

export async function logs(
  client: DockerClient,
  id: string,
  options: { tail?: number },
): Promise<string> {
  const container = client.docker.getContainer(id);
  const raw = await client.call(() =>
    container.logs({
      stdout: true,
      stderr: true,
      follow: false,
      ...(options.tail === undefined ? {} : { tail: options.tail }),
    }),
  );
  const info = await client.call(() => container.inspect());
  const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
  return info.Config.Tty ? buffer.toString("utf8") : demuxBuffer(buffer);
}

export async function followLogs(
  client: DockerClient,
  id: string,
  options: { tail?: number },
  out: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<void> {
  const container = client.docker.getContainer(id);
  const info = await client.call(() => container.inspect());
  const stream = (await client.call(() =>
    container.logs({
      stdout: true,
      stderr: true,
      follow: true,
      ...(options.tail === undefined ? {} : { tail: options.tail }),
    }),
  )) as unknown as NodeJS.ReadableStream & { destroy?: () => void };
  if (info.Config.Tty) stream.pipe(out, { end: false });
  else client.docker.modem.demuxStream(stream, out, out);
  await new Promise<void>((resolve, reject) => {
    const stop = () => {
      stream.destroy?.();
      resolve();
    };
    // Aborted while the request was made (a page that left, a server shutting down): an abort
    // event will not come again, and the open stream would keep the process alive.
    if (signal?.aborted) return stop();
    signal?.addEventListener("abort", stop, { once: true });
    stream.on("end", resolve);
    stream.on("error", reject);
  });
}
