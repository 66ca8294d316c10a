import { createInterface } from "node:readline";
import type { ContainerEvent } from "../types.js";
import type { DockerClient } from "./client.js";

interface RawEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** Attributes the engine sends beside the container's labels. */
const NON_LABEL_ATTRIBUTES = new Set(["name", "image", "exitCode", "signal", "execID"]);

/** One engine event in our own shape; undefined for anything that is not about a container. */
export function toContainerEvent(raw: RawEvent): ContainerEvent | undefined {
  if (raw.Type !== "container" || !raw.Action || !raw.Actor?.ID) return undefined;
  const attributes = raw.Actor.Attributes ?? {};
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!NON_LABEL_ATTRIBUTES.has(key)) labels[key] = value;
  }
  const millis = raw.timeNano ? raw.timeNano / 1e6 : (raw.time ?? 0) * 1000;
  return {
    // "exec_start: bash" carries the command after the verb.
    action: raw.Action.split(":")[0] ?? raw.Action,
    id: raw.Actor.ID,
    name: (attributes.name ?? "").replace(/^\//, ""),
    labels,
    time: new Date(millis),
  };
}

/** GET /events?filters={type:[container],label:[…]}: a line of JSON per event, held open. */
export async function* containerEvents(
  client: DockerClient,
  options: { labels?: string[]; actions?: readonly string[]; signal: AbortSignal },
): AsyncIterable<ContainerEvent> {
  const { signal } = options;
  if (signal.aborted) return;
  const filters = {
    type: ["container" as const],
    ...(options.labels?.length ? { label: options.labels } : {}),
    ...(options.actions?.length ? { event: [...options.actions] } : {}),
  };
  let stream: NodeJS.ReadableStream & { destroy?: () => void };
  try {
    stream = await client.call(() => client.docker.getEvents({ filters, abortSignal: signal }));
  } catch (err) {
    // Aborted before the engine answered: the caller is gone, and so is the need.
    if (signal.aborted) return;
    throw err;
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  // A destroyed stream never ends a readline iterator: closing the interface does.
  const stop = () => {
    lines.close();
    stream.destroy?.();
  };
  signal.addEventListener("abort", stop, { once: true });
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const event = toContainerEvent(JSON.parse(line) as RawEvent);
      if (event) yield event;
    }
  } catch (err) {
    // Aborting tears the connection down mid-read; that is the normal end.
    if (!signal.aborted) throw err;
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
}
