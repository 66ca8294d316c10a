/**
 * Answers asked for as the command line starts: taken once, only while fresh, and "none" on any
 * failure. Served by a small HTTP server on a unix socket (the transport early answers use); the
 * engine's own use of them is tested against the real engine (test/engine/early-answers.test.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  MAX_AGE_MS,
  askEarly,
  containerListPath,
  earlyRequestsWritten,
  forgetEarlyAnswers,
  takeEarlyAnswer,
} from "../../../../src/engine/docker/early-answers.js";

const dir = mkdtempSync(join(tmpdir(), "mbdev-early-"));
const socket = join(dir, "engine.sock");
const requests: string[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/info") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ServerVersion: "28.2.2" }));
    } else if (req.url === "/_ping") {
      res.setHeader("api-version", "1.50");
      res.end("OK");
    } else {
      res.statusCode = 404;
      res.end('{"message":"page not found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  forgetEarlyAnswers();
  requests.length = 0;
  vi.useRealTimers();
});

describe("early answers", () => {
  it("an answer asked for is taken once, with its headers and body; then the engine is asked", async () => {
    void askEarly(socket, "/info");
    void askEarly(socket, "/_ping");
    void askEarly(socket, "/info"); // asked twice: one request
    const info = await takeEarlyAnswer(socket, "/info");
    expect(JSON.parse(info?.body ?? "")).toEqual({ ServerVersion: "28.2.2" });
    expect((await takeEarlyAnswer(socket, "/_ping"))?.headers["api-version"]).toBe("1.50");
    expect(requests.sort()).toEqual(["/_ping", "/info"]);
    expect(await takeEarlyAnswer(socket, "/info")).toBeUndefined();
  });

  it("nothing was asked, another path, another socket: undefined", async () => {
    void askEarly(socket, "/info");
    expect(await takeEarlyAnswer(socket, "/version")).toBeUndefined();
    expect(await takeEarlyAnswer(join(dir, "other.sock"), "/info")).toBeUndefined();
    expect(await takeEarlyAnswer(undefined, "/info")).toBeUndefined();
  });

  it("an error status or no engine at the socket: undefined (the command asks and gets the usual error)", async () => {
    void askEarly(socket, "/containers/nothing/json");
    expect(await takeEarlyAnswer(socket, "/containers/nothing/json")).toBeUndefined();
    const missing = join(dir, "missing.sock");
    await askEarly(missing, "/info");
    expect(await takeEarlyAnswer(missing, "/info")).toBeUndefined();
  });

  it("an answer older than MAX_AGE_MS when taken (the command waited on a lock): undefined", async () => {
    await askEarly(socket, "/info");
    expect(await takeEarlyAnswer(socket, "/info")).toBeDefined();
    await askEarly(socket, "/info");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + MAX_AGE_MS + 50 });
    expect(await takeEarlyAnswer(socket, "/info")).toBeUndefined();
  });
});

describe("containerListPath", () => {
  it("names dockerode's query: all, and the label filter as JSON", () => {
    expect(containerListPath({ all: true })).toBe("/containers/json?all=true");
    const path = containerListPath({ all: false, labels: ["io.modelbox-dev.managed=true"] });
    const query = new URL(path, "http://engine").searchParams;
    expect(query.get("all")).toBe("false");
    expect(JSON.parse(query.get("filters") ?? "")).toEqual({
      label: ["io.modelbox-dev.managed=true"],
    });
  });
});

describe("earlyRequestsWritten", () => {
  it("resolves once the request is out, so an engine works on it while this process is busy", async () => {
    // The engine stand-in runs in its own process: it sees the request while this one spins.
    const childSocket = join(dir, "child.sock");
    const child = spawn(process.execPath, [
      "-e",
      `require("http").createServer((req, res) => {
         process.stdout.write(String(Date.now()) + "\\n"); res.end("[]");
       }).listen(${JSON.stringify(childSocket)}, () => process.stdout.write("ready\\n"));`,
    ]);
    const lines = createInterface({ input: child.stdout });
    const seen: number[] = [];
    try {
      await new Promise((resolve) => lines.once("line", resolve)); // ready
      lines.on("line", (line) => seen.push(Number(line)));
      void askEarly(childSocket, "/containers/json");
      await earlyRequestsWritten();
      const busyFrom = Date.now();
      while (Date.now() - busyFrom < 300) {
        // what loading the commands does: no turn of the event loop
      }
      expect(await takeEarlyAnswer(childSocket, "/containers/json")).toBeDefined();
      for (let i = 0; i < 100 && seen.length === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(seen[0]).toBeLessThan(busyFrom + 150);
    } finally {
      child.kill();
    }
  });

  it("does not wait long for a socket that never accepts", async () => {
    void askEarly(join(dir, "nobody.sock"), "/info");
    const from = Date.now();
    await earlyRequestsWritten();
    expect(Date.now() - from).toBeLessThan(1_000);
  });
});
