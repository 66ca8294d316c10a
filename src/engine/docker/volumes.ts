import type { VolumeDetails } from "../types.js";
import type { DockerClient } from "./client.js";
import { statusCodeOf } from "./engine-errors.js";
import { toVolumeDetails } from "./mappers.js";

/** Named volumes: create (with labels), inspect, list by label, remove. */

export async function createVolume(
  client: DockerClient,
  name: string,
  labels: Record<string, string>,
): Promise<VolumeDetails> {
  const volume = await client.call(() =>
    client.docker.createVolume({ Name: name, Labels: labels }),
  );
  return toVolumeDetails(volume as unknown as Parameters<typeof toVolumeDetails>[0]);
}

export async function inspectVolume(
  client: DockerClient,
  name: string,
): Promise<VolumeDetails | undefined> {
  try {
    return toVolumeDetails(await client.call(() => client.docker.getVolume(name).inspect()));
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function listVolumes(
  client: DockerClient,
  options: { labels?: string[] },
): Promise<VolumeDetails[]> {
  const filters = options.labels?.length ? { label: options.labels } : undefined;
  const answer = await client.call(() => client.docker.listVolumes(filters ? { filters } : {}));
  return (answer.Volumes ?? []).map(toVolumeDetails);
}

export async function removeVolume(client: DockerClient, name: string): Promise<void> {
  try {
    await client.call(() => client.docker.getVolume(name).remove());
  } catch (err) {
    if (statusCodeOf(err) === 404) return;
    throw err;
  }
}
