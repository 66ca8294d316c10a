/** One event of the engine's pull stream (the shape of the Engine API's JSON progress). */
export interface PullEvent {
  id?: string;
  status: string;
  current?: number;
  total?: number;
}

export type LayerState =
  | "queued"
  | "waiting"
  | "downloading"
  | "verifying"
  | "downloaded"
  | "extracting"
  | "done"
  | "exists"
  | "retrying";

export interface LayerProgress {
  id: string;
  state: LayerState;
  /** Bytes downloaded. */
  current?: number;
  /** Compressed size, once the engine has said it. */
  size?: number;
  /** Bytes extracted so far, while extracting. */
  extracted?: number;
}

export interface PullSnapshot {
  layers: LayerProgress[];
  downloadedBytes: number;
  /** Sum of the sizes known so far. */
  totalBytes: number;
  /** Every layer to download has told its size, so totalBytes is the real total. */
  sizesKnown: boolean;
  bytesPerSecond?: number;
  etaSeconds?: number;
  elapsedSeconds: number;
  digest?: string;
}

// The engine's layer statuses (Docker's pkg/progress messages) and what they mean.
const STATES: Array<[RegExp, LayerState]> = [
  [/^Pulling fs layer/, "queued"],
  [/^Waiting/, "waiting"],
  [/^Downloading/, "downloading"],
  [/^Verifying Checksum/, "verifying"],
  [/^Download complete/, "downloaded"],
  [/^Extracting/, "extracting"],
  [/^Pull complete/, "done"],
  [/^Already exists/, "exists"],
  [/^Retrying/, "retrying"],
];

const FINISHED_DOWNLOAD: ReadonlySet<LayerState> = new Set([
  "verifying",
  "downloaded",
  "extracting",
  "done",
]);
const RATE_WINDOW_MS = 5_000;

/** A layer's size: as announced, or what arrived once its download finished (tiny layers). */
function sizeOf(layer: LayerProgress): number | undefined {
  if (layer.size !== undefined) return layer.size;
  return FINISHED_DOWNLOAD.has(layer.state) ? (layer.current ?? 0) : undefined;
}

/**
 * Turns the engine's pull events into per-layer states and totals: bytes, rate over the last
 * few seconds, and ETA. Pure: the caller passes the clock.
 */
export class PullTracker {
  private readonly layers = new Map<string, LayerProgress>();
  private readonly samples: Array<{ at: number; bytes: number }> = [];
  private digest?: string;

  constructor(private readonly startedAt: number) {}

  /** Applies an event; returns the layer when its state changed (not on byte counts alone). */
  update(event: PullEvent, now: number): LayerProgress | undefined {
    const digest = /^Digest: (sha256:[a-f0-9]{64})/.exec(event.status);
    if (digest?.[1]) this.digest = digest[1];
    const state = STATES.find(([pattern]) => pattern.test(event.status))?.[1];
    if (!event.id || !state) return undefined;
    const layer = this.layers.get(event.id) ?? { id: event.id, state };
    const changed = !this.layers.has(event.id) || layer.state !== state;
    layer.state = state;
    if (state === "downloading") {
      layer.current = event.current ?? layer.current;
      if (event.total !== undefined && event.total > 0) layer.size = event.total;
    } else if (state === "extracting") {
      layer.extracted = event.current ?? layer.extracted;
    }
    this.layers.set(event.id, layer);
    this.sample(now);
    return changed ? { ...layer } : undefined;
  }

  private downloaded(): number {
    let bytes = 0;
    for (const layer of this.layers.values()) {
      if (layer.state === "downloading") bytes += layer.current ?? 0;
      else if (FINISHED_DOWNLOAD.has(layer.state)) bytes += sizeOf(layer) ?? 0;
    }
    return bytes;
  }

  private sample(now: number): void {
    this.samples.push({ at: now, bytes: this.downloaded() });
    while (this.samples.length > 2 && (this.samples[0]?.at ?? now) < now - RATE_WINDOW_MS) {
      this.samples.shift();
    }
  }

  snapshot(now: number): PullSnapshot {
    const layers = [...this.layers.values()].map((l) => ({ ...l }));
    const toDownload = layers.filter((l) => l.state !== "exists");
    const totalBytes = toDownload.reduce((sum, l) => sum + (sizeOf(l) ?? 0), 0);
    const sizesKnown = toDownload.every((l) => sizeOf(l) !== undefined);
    const downloadedBytes = this.downloaded();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    let bytesPerSecond: number | undefined;
    if (first && last && last.at - first.at >= 500) {
      bytesPerSecond = ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
    }
    const remaining = totalBytes - downloadedBytes;
    const etaSeconds =
      sizesKnown && bytesPerSecond && bytesPerSecond > 0 && remaining > 0
        ? remaining / bytesPerSecond
        : undefined;
    return {
      layers,
      downloadedBytes,
      totalBytes,
      sizesKnown,
      ...(bytesPerSecond !== undefined ? { bytesPerSecond } : {}),
      ...(etaSeconds !== undefined ? { etaSeconds } : {}),
      elapsedSeconds: (now - this.startedAt) / 1000,
      ...(this.digest ? { digest: this.digest } : {}),
    };
  }
}

const UNITS = ["B", "kB", "MB", "GB", "TB"];

/** Decimal units, as `docker pull` prints them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
