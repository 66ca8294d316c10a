import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { DashboardOperations } from "../../../src/dashboard/operations.js";
import { type DashboardServer, startDashboardServer } from "../../../src/dashboard/server.js";
import { ModelboxDevError } from "../../../src/errors.js";

const TOKEN = "routes-token-0123456789abcdef";

/** Whose the environments are: "theirs" belongs to someone else, as the library would say. */
function refuseTheirs(name: string, force: boolean, action: string): void {
  if (name === "theirs" && !force) {
    throw new ModelboxDevError(
      "NOT_OWNER",
      `Environment "theirs" belongs to alice, not to you (bob).`,
      `Ask alice first; to ${action} it anyway: 'modelbox-dev ${action} --force theirs'.`,
    );
  }
}

/** Operations that record what the routes asked of them: the CLI's flags, nothing decided here. */
function recordingOperations(calls: unknown[]): DashboardOperations {
  const never = (signal: AbortSignal) => ({
    [Symbol.asyncIterator]: () => ({
      next: () =>
        new Promise((resolve) =>
          signal.addEventListener("abort", () => resolve({ done: true, value: undefined })),
        ),
    }),
  });
  return {
    version: () => "0.0.0-test",
    ls: (options: { mine?: boolean }) => {
      calls.push(["ls", options]);
      return Promise.resolve({ ok: true, environments: [], stale: [] });
    },
    stop: (name: string, options: { force: boolean }) => {
      calls.push(["stop", name, options]);
      refuseTheirs(name, options.force, "stop");
      return Promise.resolve({ ok: true, name, state: "exited" });
    },
    rm: (name: string, options: { force: boolean; volumes: boolean }) => {
      calls.push(["rm", name, options]);
      refuseTheirs(name, options.force, "rm");
      return Promise.resolve({ ok: true, name });
    },
    plan: (options: object) => {
      calls.push(["plan", options]);
      return Promise.resolve({ plan: {}, script: "" });
    },
    watch: never,
  } as unknown as DashboardOperations;
}

describe("the dashboard's routes pass the CLI's options to the library", () => {
  let server: DashboardServer;
  let base = "";
  const calls: unknown[] = [];
  const headers = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    const webRoot = mkdtempSync(join(tmpdir(), "mbdev-web-"));
    writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>dashboard</title>");
    server = await startDashboardServer({
      operations: recordingOperations(calls),
      token: TOKEN,
      host: "127.0.0.1",
      port: 0,
      webRoot,
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
  });

  it("lists every environment, or only the caller's with mine (ls --mine)", async () => {
    calls.length = 0;
    await fetch(`${base}/api/environments`, { headers });
    await fetch(`${base}/api/environments?mine=true`, { headers });
    expect(calls).toEqual([
      ["ls", { mine: false }],
      ["ls", { mine: true }],
    ]);
  });

  it("the live list asks ls --mine when the page asks for its own only", async () => {
    calls.length = 0;
    const listed = (query: string) =>
      new Promise<unknown>((resolve, reject) => {
        const ws = new WebSocket(`${base.replace("http", "ws")}/ws/environments${query}`, {
          headers,
        });
        ws.on("message", (data: Buffer) => {
          ws.close();
          resolve(JSON.parse(data.toString()));
        });
        ws.on("error", reject);
      });
    expect(await listed("?mine=true")).toEqual({ type: "environments", environments: [] });
    await listed("");
    expect(calls).toEqual([
      ["ls", { mine: true }],
      ["ls", { mine: false }],
    ]);
  });

  it("someone else's environment: the library's NOT_OWNER with its message and hint, then force", async () => {
    calls.length = 0;
    const stop = (query: string) =>
      fetch(`${base}/api/environments/theirs/stop${query}`, { method: "POST", headers });
    const refused = await stop("");
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as {
      error: { code: string; message: string; hint: string };
    };
    expect(body.error).toEqual({
      code: "NOT_OWNER",
      message: `Environment "theirs" belongs to alice, not to you (bob).`,
      hint: "Ask alice first; to stop it anyway: 'modelbox-dev stop --force theirs'.",
    });
    expect((await stop("?force=true")).status).toBe(200);

    const rm = (query: string) =>
      fetch(`${base}/api/environments/theirs${query}`, { method: "DELETE", headers });
    expect((await rm("?volumes=true")).status).toBe(403);
    expect((await rm("?force=true&volumes=true")).status).toBe(200);
    expect(calls).toEqual([
      ["stop", "theirs", { force: false }],
      ["stop", "theirs", { force: true }],
      ["rm", "theirs", { force: false, volumes: true }],
      ["rm", "theirs", { force: true, volumes: true }],
    ]);
  });

  it("hands the Create form's options to plan as they came (variables, resources, limits)", async () => {
    calls.length = 0;
    const options = {
      name: "dev1",
      env: ["TOKEN=secret-value"],
      envFile: ["/srv/dev.env"],
      shmSize: "1g",
      memory: "2g",
      cpus: "1.5",
      ulimit: ["nofile=1024:2048"],
      restart: "no",
      publish: ["127.0.0.1:6006:6006"],
    };
    const r = await fetch(`${base}/api/plan`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(options),
    });
    expect(r.status).toBe(200);
    expect(calls).toEqual([["plan", options]]);
  });
});
