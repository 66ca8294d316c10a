import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { listenCheck } from "../../../src/host/probe-ports.js";

function listenOn(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(server));
  });
}

const portOf = (server: Server) => (server.address() as { port: number }).port;
const close = (server: Server) => new Promise((r) => server.close(r));

describe("the port listen check", () => {
  it("a port a process keeps listening on is taken; a free one is free", async () => {
    const held = await listenOn();
    const port = portOf(held);
    expect(await listenCheck(port, "127.0.0.1")).toBe(false);
    await close(held);
    expect(await listenCheck(port, "127.0.0.1")).toBe(true);
  });

  it("a port held for a moment only (another up probing it) is free", async () => {
    const held = await listenOn();
    const port = portOf(held);
    setTimeout(() => void close(held), 10);
    expect(await listenCheck(port, "127.0.0.1")).toBe(true);
  });
});
