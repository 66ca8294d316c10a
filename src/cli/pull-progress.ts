import {
  type LayerProgress,
  type LayerState,
  type PullSnapshot,
  PullTracker,
  formatBytes,
  formatDuration,
} from "../registry/pull-tracker.js";
import type { PullProgressEvent } from "../engine/types.js";
import type { ErrorCode } from "../errors.js";

/** A registry tried, or one that failed (and the one tried next). */
export type AttemptNotice =
  | { kind: "trying"; registry: string; reference: string }
  | {
      kind: "failed";
      registry: string;
      reference: string;
      error: { code: ErrorCode; message: string };
      next?: string;
    };

/** Where a pulled image came from. */
export interface PulledFrom {
  registry: string;
  reference: string;
  repoDigest?: string;
}

/** tty: one redrawn block; lines: a line per layer state change; json: JSON lines. */
export type ProgressMode = "tty" | "lines" | "json";

/** Where progress goes (stderr); `columns` when it is a terminal. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function progressMode(json: boolean | undefined, out: ProgressOutput): ProgressMode {
  return json ? "json" : out.isTTY ? "tty" : "lines";
}

export interface PullReporter {
  attempt(attempt: AttemptNotice): void;
  progress(event: PullProgressEvent): void;
  /** The pull is over (success or not): the TTY block is replaced by one summary line. */
  done(source?: PulledFrom): void;
}

const LABELS: Record<LayerState, string> = {
  queued: "queued",
  waiting: "waiting",
  downloading: "downloading",
  verifying: "verifying",
  downloaded: "downloaded",
  extracting: "extracting",
  done: "pull complete",
  exists: "already exists",
  retrying: "retrying",
};
const ACTIVE: ReadonlySet<LayerState> = new Set([
  "downloading",
  "verifying",
  "extracting",
  "retrying",
]);
const MAX_TTY_LAYERS = 10;
const TTY_FRAME_MS = 100;
const JSON_PROGRESS_MS = 1_000;

function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"=".repeat(filled)}${" ".repeat(width - filled)}]`;
}

function layerLine(layer: LayerProgress): string {
  const head = `  ${layer.id.padEnd(12)}  ${LABELS[layer.state].padEnd(14)}`;
  if (layer.state === "downloading" && layer.size) {
    const cur = layer.current ?? 0;
    return `${head}${bar(cur / layer.size)} ${formatBytes(cur)} / ${formatBytes(layer.size)}`;
  }
  return layer.size ? `${head}${formatBytes(layer.size)}` : head.trimEnd();
}

export function totalLine(s: PullSnapshot): string {
  const total = `${formatBytes(s.totalBytes)}${s.sizesKnown ? "" : "+"}`;
  const parts = [`  total  ${formatBytes(s.downloadedBytes)} / ${total}`];
  if (s.bytesPerSecond !== undefined) parts.push(`${formatBytes(s.bytesPerSecond)}/s`);
  if (s.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(s.etaSeconds)}`);
  return parts.join("  ");
}

/** The TTY block: active layers first, finished ones folded into a count; then the total. */
export function renderBlock(s: PullSnapshot, columns = 100): string[] {
  const active = s.layers.filter((l) => ACTIVE.has(l.state));
  const pending = s.layers.filter((l) => l.state === "queued" || l.state === "waiting");
  const finished = s.layers.filter((l) => !ACTIVE.has(l.state) && !pending.includes(l));
  const shown = [...active, ...pending].slice(0, MAX_TTY_LAYERS);
  const lines = shown.map(layerLine);
  const hidden = active.length + pending.length - shown.length;
  if (hidden > 0) lines.push(`  … ${hidden} more layers queued`);
  if (finished.length > 0) lines.push(`  ${finished.length} of ${s.layers.length} layers done`);
  lines.push(totalLine(s));
  return lines.map((l) => (l.length > columns - 1 ? l.slice(0, columns - 1) : l));
}

function summary(image: string, s: PullSnapshot, source?: PulledFrom): string {
  const from = source ? ` from ${source.registry}` : "";
  const size = s.totalBytes > 0 ? `, ${formatBytes(s.downloadedBytes)}` : "";
  return `Pulled ${image}${from} (${formatDuration(s.elapsedSeconds)}${size})`;
}

/**
 * Shows a pull's progress as the user's terminal (or pipe, or JSON reader) wants it. `now` is
 * injectable for tests.
 */
export function pullReporter(
  image: string,
  mode: ProgressMode,
  out: ProgressOutput,
  now: () => number = Date.now,
): PullReporter {
  const tracker = new PullTracker(now());
  let drawn = 0;
  let lastFrame = 0;
  let lastJsonProgress = 0;
  const json = (value: Record<string, unknown>) => out.write(`${JSON.stringify(value)}\n`);
  const clear = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\r\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    clear();
    // A pseudo-terminal without a size reports 0 columns.
    const columns = out.columns !== undefined && out.columns > 0 ? out.columns : 100;
    const lines = renderBlock(tracker.snapshot(now()), columns);
    out.write(`${lines.join("\n")}\n`);
    drawn = lines.length;
    lastFrame = now();
  };
  const say = (line: string) => {
    if (mode === "tty") {
      clear();
      out.write(`${line}\n`);
    } else out.write(`${line}\n`);
  };

  return {
    attempt(a) {
      if (mode === "json") {
        json({
          event: a.kind === "trying" ? "pull-attempt" : "pull-failed",
          registry: a.registry,
          reference: a.reference,
          ...(a.kind === "failed"
            ? {
                error: { code: a.error.code, message: a.error.message },
                ...(a.next ? { next: a.next } : {}),
              }
            : {}),
        });
      } else if (a.kind === "trying") {
        say(`Pulling ${a.reference} (registry ${a.registry})…`);
      } else if (a.next) {
        // The last failure is the command's error: only a fallback is news here.
        say(`  ${a.error.message} Trying ${a.next}…`);
      }
    },
    progress(event) {
      const t = now();
      const changed = tracker.update(event, t);
      if (mode === "tty") {
        if (changed || t - lastFrame >= TTY_FRAME_MS) draw();
      } else if (mode === "lines") {
        if (!changed) return;
        const size = changed.size ? ` (${formatBytes(changed.size)})` : "";
        out.write(`  ${changed.id}: ${LABELS[changed.state]}${size}\n`);
      } else {
        if (changed) json({ event: "layer", ...changed });
        if (changed || t - lastJsonProgress >= JSON_PROGRESS_MS) {
          const s = tracker.snapshot(t);
          lastJsonProgress = t;
          json({
            event: "progress",
            downloadedBytes: s.downloadedBytes,
            totalBytes: s.totalBytes,
            sizesKnown: s.sizesKnown,
            ...(s.bytesPerSecond !== undefined
              ? { bytesPerSecond: Math.round(s.bytesPerSecond) }
              : {}),
            ...(s.etaSeconds !== undefined ? { etaSeconds: Math.round(s.etaSeconds) } : {}),
          });
        }
      }
    },
    done(source) {
      const s = tracker.snapshot(now());
      if (mode === "json") {
        if (source) {
          json({
            event: "pulled",
            image,
            registry: source.registry,
            reference: source.reference,
            ...(source.repoDigest ? { digest: source.repoDigest } : {}),
            downloadedBytes: s.downloadedBytes,
          });
        }
        return;
      }
      if (mode === "tty") clear();
      if (source) out.write(`${summary(image, s, source)}\n`);
    },
  };
}

export interface TransferReporter {
  /** Bytes moved since the last call. */
  add(bytes: number): void;
  /** Ends the display (the TTY line is cleared). */
  done(): void;
}

const LINES_EVERY_MS = 5_000;

/**
 * Progress of a byte stream (image save/load): one redrawn line on a TTY, a line every few
 * seconds otherwise, JSON lines with --json.
 */
export function transferReporter(
  label: string,
  totalBytes: number | undefined,
  mode: ProgressMode,
  out: ProgressOutput,
  now: () => number = Date.now,
): TransferReporter {
  const started = now();
  let bytes = 0;
  let last = 0;
  let drawn = false;
  const text = () => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0.5 ? `  ${formatBytes(bytes / seconds)}/s` : "";
    const share =
      totalBytes && totalBytes > 0
        ? ` / ${formatBytes(totalBytes)} (${Math.min(100, Math.round((bytes * 100) / totalBytes))}%)`
        : "";
    return `${label} ${formatBytes(bytes)}${share}${rate}`;
  };
  return {
    add(n) {
      bytes += n;
      const t = now();
      if (mode === "tty" && t - last >= TTY_FRAME_MS) {
        out.write(`\r\x1b[K${text()}`);
        drawn = true;
        last = t;
      } else if (mode === "lines" && t - last >= LINES_EVERY_MS) {
        out.write(`${text()}\n`);
        last = t;
      } else if (mode === "json" && t - last >= JSON_PROGRESS_MS) {
        out.write(
          `${JSON.stringify({ event: "transfer", bytes, ...(totalBytes ? { totalBytes } : {}) })}\n`,
        );
        last = t;
      }
    },
    done() {
      if (drawn) out.write("\r\x1b[K");
    },
  };
}
