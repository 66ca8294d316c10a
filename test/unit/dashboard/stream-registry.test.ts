import { describe, expect, it } from "vitest";
import { StreamRegistry } from "../../../src/dashboard/stream-registry.js";

describe("the streams the dashboard holds open", () => {
  it("closes every open one on shutdown, and not those that ended themselves", async () => {
    const streams = new StreamRegistry();
    const closed: string[] = [];
    streams.add(() => closed.push("logs"));
    const ended = streams.add(() => closed.push("stats"));
    ended();
    await streams.closeAll();
    expect(closed).toEqual(["logs"]);
  });

  it("closes at once a stream opened while shutting down (a page reconnecting)", async () => {
    const streams = new StreamRegistry();
    await streams.closeAll();
    const closed = new Promise<string>((resolve) => streams.add(() => resolve("closed")));
    await expect(closed).resolves.toBe("closed");
  });
});
