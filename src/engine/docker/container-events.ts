import type { ContainerEvent } from "../types.js";
import type { DockerClient } from "./client.js";
import { jsonLines } from "./json-lines.js";

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
  const filters = {
    type: ["container" as const],
    ...(options.labels?.length ? { label: options.labels } : {}),
    ...(options.actions?.length ? { event: [...options.actions] } : {}),
  };
  const documents = jsonLines(
    () => client.call(() => client.docker.getEvents({ filters, abortSignal: signal })),
    signal,
  );
  for await (const raw of documents) {
    const event = toContainerEvent(raw as RawEvent);
    if (event) yield event;
  }
}
