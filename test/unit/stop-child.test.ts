/** stopChild on real processes: one that stops on SIGTERM, one that ignores it (as ssh can). */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { stopChild } from "../../src/stop-child.js";

/** A node child that says "ready" once its SIGTERM handling is in place, then idles. */
function child(ignoreTerm: boolean) {
  const code = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ""} console.log("ready"); setInterval(() => {}, 1000);`;
  const c = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "ignore"] });
  const ready = new Promise<void>((resolve) => c.stdout.once("data", () => resolve()));
  return { c, ready };
}

describe("stopChild", () => {
  it("a child that stops on SIGTERM ends by SIGTERM", async () => {
    const { c, ready } = child(false);
    await ready;
    await stopChild(c, 5_000);
    expect(c.signalCode).toBe("SIGTERM");
  });

  it("a child that ignores SIGTERM is killed after the grace period, and the wait ends", async () => {
    const { c, ready } = child(true);
    await ready;
    const started = Date.now();
    await stopChild(c, 300);
    expect(c.signalCode).toBe("SIGKILL");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("a child already gone, or never started, resolves at once", async () => {
    const { c, ready } = child(false);
    await ready;
    await stopChild(c);
    await stopChild(c);
    const missing = spawn("/nonexistent/program-for-stop-child");
    missing.on("error", () => undefined);
    await stopChild(missing);
    expect(missing.pid).toBeUndefined();
  });
});
