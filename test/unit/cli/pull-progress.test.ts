import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PullTracker, formatBytes, formatDuration } from "../../../src/registry/pull-tracker.js";
import { pullReporter, transferReporter } from "../../../src/cli/pull-progress.js";
import { ModelboxDevError } from "../../../src/errors.js";

interface RecordedEvent {
  t: number;
  id?: string;
  status: string;
  progressDetail?: { current?: number; total?: number };
}
const recorded = JSON.parse(
  readFileSync(
    new URL("../../fixtures/registry/pull-events-two-layers.json", import.meta.url),
    "utf8",
  ),
) as { events: RecordedEvent[] };
const toEvent = (e: RecordedEvent) => ({
  ...(e.id ? { id: e.id } : {}),
  status: e.status,
  ...(e.progressDetail?.current !== undefined ? { current: e.progressDetail.current } : {}),
  ...(e.progressDetail?.total !== undefined ? { total: e.progressDetail.total } : {}),
});
const ESC = "\u001b";
const IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:v1";
const SOURCE = {
  registry: "127.0.0.1:5000/modelbox",
  reference: `127.0.0.1:5000/${IMAGE}`,
  repoDigest: "x@sha256:1",
};

function sink(isTTY = false) {
  const chunks: string[] = [];
  return {
    out: { write: (t: string) => chunks.push(t), isTTY, columns: 120 },
    text: () => chunks.join(""),
  };
}

describe("pull progress, from a recorded engine stream", () => {
  it("tracks layer states, bytes and the digest", () => {
    const tracker = new PullTracker(0);
    const changes: string[] = [];
    for (const e of recorded.events) {
      const changed = tracker.update(toEvent(e), e.t);
      if (changed) changes.push(`${changed.id}:${changed.state}`);
    }
    expect(changes.filter((c) => c.startsWith("96103d844004"))).toEqual([
      "96103d844004:queued",
      "96103d844004:downloading",
      "96103d844004:verifying",
      "96103d844004:downloaded",
      "96103d844004:extracting",
      "96103d844004:done",
    ]);
    const end = tracker.snapshot(610);
    expect(end.totalBytes).toBe(12003902 + 3001125);
    expect(end.downloadedBytes).toBe(end.totalBytes);
    expect(end.sizesKnown).toBe(true);
    expect(end.digest).toBe(
      "sha256:e6890c034183046ced7c5c0640532486e2929a42fa4b48948c998296d44c1ca3",
    );
  });

  it("computes rate and ETA over the last seconds", () => {
    const tracker = new PullTracker(0);
    tracker.update({ id: "a", status: "Pulling fs layer" }, 0);
    tracker.update({ id: "a", status: "Downloading", current: 0, total: 100_000_000 }, 0);
    tracker.update(
      { id: "a", status: "Downloading", current: 10_000_000, total: 100_000_000 },
      1000,
    );
    tracker.update(
      { id: "a", status: "Downloading", current: 20_000_000, total: 100_000_000 },
      2000,
    );
    const s = tracker.snapshot(2000);
    expect(s.bytesPerSecond).toBe(10_000_000);
    expect(s.etaSeconds).toBe(8);
    // A layer whose size is not known yet makes the total a lower bound, and no ETA is given.
    tracker.update({ id: "b", status: "Waiting" }, 2000);
    expect(tracker.snapshot(2000)).toMatchObject({ sizesKnown: false });
    expect(tracker.snapshot(2000).etaSeconds).toBeUndefined();
  });

  it("not a TTY: one line per layer state change, then a summary", () => {
    const { out, text } = sink();
    let t = 0;
    const reporter = pullReporter(IMAGE, "lines", out, () => t);
    reporter.attempt({ kind: "trying", registry: SOURCE.registry, reference: SOURCE.reference });
    for (const e of recorded.events) {
      t = e.t;
      reporter.progress(toEvent(e));
    }
    reporter.done(SOURCE);
    const lines = text().trimEnd().split("\n");
    expect(lines[0]).toBe(`Pulling ${SOURCE.reference} (registry ${SOURCE.registry})…`);
    expect(lines).toContain("  96103d844004: downloading (3.0 MB)");
    expect(lines).toContain("  0b558dda3232: pull complete (12.0 MB)");
    // 2 layers × 6 states + the attempt + the summary; byte counts alone print nothing.
    expect(lines).toHaveLength(14);
    expect(lines.at(-1)).toBe(`Pulled ${IMAGE} from ${SOURCE.registry} (1s, 15.0 MB)`);
    expect(text()).not.toContain("\x1b[");
  });

  it("a failed registry is news only when another is tried next (the last one is the error)", () => {
    const { out, text } = sink();
    const reporter = pullReporter(IMAGE, "lines", out);
    const error = new ModelboxDevError(
      "REGISTRY_UNREACHABLE",
      "Cannot reach the registry a/modelbox.",
    );
    reporter.attempt({
      kind: "failed",
      registry: "a/modelbox",
      reference: "r",
      error,
      next: "b/modelbox",
    });
    reporter.attempt({ kind: "failed", registry: "b/modelbox", reference: "r", error });
    expect(text()).toBe("  Cannot reach the registry a/modelbox. Trying b/modelbox…\n");
  });

  it("TTY: one block redrawn in place (cursor up, clear), replaced by the summary", () => {
    const { out, text } = sink(true);
    let t = 0;
    const reporter = pullReporter(IMAGE, "tty", out, () => t);
    for (const e of recorded.events) {
      t = e.t;
      reporter.progress(toEvent(e));
    }
    reporter.done(SOURCE);
    const output = text();
    // Cursor up over the previous block, back to column 0, clear to the end of the screen.
    expect(output).toMatch(new RegExp(`${ESC}\\[\\d+A\r${ESC}\\[J`));
    expect(output).toContain("  total  ");
    expect(output).toMatch(/downloading\s+\[=*\s*\] \d/);
    // The screen ends with the summary: everything after the last clear.
    const finalScreen = output.slice(output.lastIndexOf("\x1b[J") + 3);
    expect(finalScreen).toBe(`Pulled ${IMAGE} from ${SOURCE.registry} (1s, 15.0 MB)\n`);
  });

  it("--json: JSON lines (attempts, layer changes, throttled totals, the result)", () => {
    const { out, text } = sink();
    let t = 0;
    const reporter = pullReporter(IMAGE, "json", out, () => t);
    reporter.attempt({
      kind: "failed",
      registry: "127.0.0.1:1/modelbox",
      reference: "r",
      error: new ModelboxDevError(
        "REGISTRY_UNREACHABLE",
        "Cannot reach the registry 127.0.0.1:1/modelbox.",
      ),
    });
    for (const e of recorded.events) {
      t = e.t;
      reporter.progress(toEvent(e));
    }
    reporter.done(SOURCE);
    const events = text()
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string });
    expect(events[0]).toEqual({
      event: "pull-failed",
      registry: "127.0.0.1:1/modelbox",
      reference: "r",
      error: {
        code: "REGISTRY_UNREACHABLE",
        message: "Cannot reach the registry 127.0.0.1:1/modelbox.",
      },
    });
    expect(events.filter((e) => e.event === "layer")).toHaveLength(12);
    expect(events.some((e) => e.event === "progress")).toBe(true);
    expect(events.at(-1)).toMatchObject({
      event: "pulled",
      image: IMAGE,
      digest: "x@sha256:1",
      downloadedBytes: 15005027,
    });
  });

  it("save/load progress: a redrawn line on a TTY, throttled lines otherwise", () => {
    const tty = sink(true);
    let t = 0;
    const r = transferReporter("Saving", 2_000_000, "tty", tty.out, () => t);
    t = 1000;
    r.add(1_000_000);
    r.done();
    expect(tty.text()).toBe("\r\x1b[KSaving 1.0 MB / 2.0 MB (50%)  1.0 MB/s\r\x1b[K");
    const lines = sink();
    t = 0;
    const l = transferReporter("Loading", undefined, "lines", lines.out, () => t);
    t = 6000;
    l.add(5);
    l.add(5);
    expect(lines.text()).toBe("Loading 5 B  1 B/s\n");
  });
});

describe("units", () => {
  it("bytes in decimal units as docker prints them, durations short", () => {
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(12_003_902)).toBe("12.0 MB");
    expect(formatBytes(5.2e9)).toBe("5.2 GB");
    expect(formatDuration(59)).toBe("59s");
    expect(formatDuration(310)).toBe("5m10s");
    expect(formatDuration(3 * 3600 + 120)).toBe("3h02m");
  });
});
